package ai.spacebot.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental Server-Sent Events parser following the WHATWG event-stream rules: lines end with
 * LF, CRLF or CR (possibly split across network buffers), a blank line dispatches, lines starting
 * with ':' are comments, one leading space after the colon is dropped. Works on bytes so that a
 * UTF-8 character split between two buffers is decoded whole.
 */
final class SseParser {

  private final Consumer<SseEvent> sink;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean lastWasCr;
  private boolean firstLine = true;
  private String id;
  private String event;
  private StringBuilder data;
  private volatile String lastEventId;

  SseParser(Consumer<SseEvent> sink) {
    this.sink = sink;
  }

  /** The last id seen on the stream, kept across events as a reconnecting client would send it. */
  String lastEventId() { return lastEventId; }

  void feed(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '\n') {
        if (!lastWasCr) endLine(); // the LF of a CRLF was already handled at the CR
        lastWasCr = false;
      } else if (b == '\r') {
        endLine();
        lastWasCr = true;
      } else {
        line.write(b);
        lastWasCr = false;
      }
    }
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (firstLine) {
      firstLine = false;
      if (text.startsWith("\uFEFF")) text = text.substring(1);
    }
    if (text.isEmpty()) {
      dispatch();
    } else if (!text.startsWith(":")) {
      int colon = text.indexOf(':');
      String field = colon < 0 ? text : text.substring(0, colon);
      String value = colon < 0 ? "" : text.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      field(field, value);
    }
  }

  private void field(String field, String value) {
    switch (field) {
      case "data" -> {
        if (data == null) data = new StringBuilder();
        else data.append('\n');
        data.append(value);
      }
      case "event" -> event = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          id = value;
          lastEventId = value;
        }
      }
      default -> { } // "retry" and unknown fields do not matter to tests
    }
  }

  private void dispatch() {
    // Per the spec an event with no data lines is not dispatched (its id still counts).
    if (data != null) {
      sink.accept(new SseEvent(id, event == null || event.isEmpty() ? "message" : event, data.toString()));
    }
    id = null;
    event = null;
    data = null;
  }
}
