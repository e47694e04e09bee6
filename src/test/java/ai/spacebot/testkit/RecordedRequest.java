package ai.spacebot.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat-completions request as {@link ScriptedModelServer} received it, plus how long the
 * fake model took to answer it (so benchmarks can subtract model time from end-to-end time).
 */
public final class RecordedRequest {

  private final int index;
  private final MultiMap headers;
  private final JsonObject body;
  private final Instant receivedAt;
  private final long receivedNanos;
  // Written on the server's event loop when the response ends, read from test threads.
  private volatile long finishedNanos = -1;
  private volatile String uri;

  RecordedRequest(int index, MultiMap headers, JsonObject body, Instant receivedAt, long receivedNanos) {
    this.index = index;
    this.headers = headers;
    this.body = body;
    this.receivedAt = receivedAt;
    this.receivedNanos = receivedNanos;
  }

  void uri(String uri) { this.uri = uri; }

  /** The request's path and query as sent, e.g. {@code /v1/chat/completions} or {@code /openai/deployments/d/chat/completions?api-version=V}. */
  public String uri() { return uri; }

  /** 1-based arrival order. */
  public int index() { return index; }

  /** A case-insensitive copy of the request headers. */
  public MultiMap headers() { return headers; }

  public String header(String name) { return headers.get(name); }

  private int bodyBytes;
  private boolean bodyIndented;

  void rawBody(io.vertx.core.buffer.Buffer raw) {
    bodyBytes = raw.length();
    // A pretty-printer breaks the line right after the opening brace; compact JSON never does.
    bodyIndented = raw.length() > 1 && (raw.getByte(1) == '\n' || raw.getByte(1) == '\r');
  }

  /** The body's size on the wire. */
  public int bodyBytes() { return bodyBytes; }

  /** Whether the client pretty-printed the body (indented lines). */
  public boolean bodyIndented() { return bodyIndented; }

  /** The parsed JSON body; treat as read-only. */
  public JsonObject body() { return body; }

  public Instant receivedAt() { return receivedAt; }

  /** {@link System#nanoTime()} when the body had been fully received. */
  public long receivedNanos() { return receivedNanos; }

  public String model() { return body.getString("model"); }

  public boolean streaming() { return body.getBoolean("stream", false); }

  public JsonArray messages() {
    JsonArray messages = body.getJsonArray("messages");
    return messages == null ? new JsonArray() : messages;
  }

  /** Text of the last message with role "user"; content may be a string or an array of parts. */
  public String lastUserText() {
    List<JsonObject> users = messagesWithRole("user");
    return users.isEmpty() ? null : contentText(users.get(users.size() - 1));
  }

  /** Names from the request's {@code tools} array, in order. */
  public List<String> toolNames() {
    List<String> names = new ArrayList<>();
    JsonArray tools = body.getJsonArray("tools");
    if (tools == null) return names;
    for (int i = 0; i < tools.size(); i++) {
      JsonObject function = tools.getJsonObject(i).getJsonObject("function");
      if (function != null) names.add(function.getString("name"));
    }
    return names;
  }

  /** True if the conversation already contains a tool result (role "tool"), i.e. this is a follow-up turn. */
  public boolean hasToolResult() {
    return !messagesWithRole("tool").isEmpty();
  }

  /** Contents of all tool-result messages, in order. */
  public List<String> toolResults() {
    return messagesWithRole("tool").stream().map(RecordedRequest::contentText).toList();
  }

  public List<JsonObject> messagesWithRole(String role) {
    List<JsonObject> out = new ArrayList<>();
    JsonArray messages = messages();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      if (role.equals(m.getString("role"))) out.add(m);
    }
    return out;
  }

  /** Message content as text: a plain string, or the "text" parts of a parts array joined by newlines. */
  static String contentText(JsonObject message) {
    Object content = message.getValue("content");
    if (content instanceof String s) return s;
    if (content instanceof JsonArray parts) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part && part.getString("text") != null) {
          texts.add(part.getString("text"));
        }
      }
      return String.join("\n", texts);
    }
    return null;
  }

  void markFinished(long nanos) {
    if (finishedNanos < 0) finishedNanos = nanos;
  }

  /** True once the response has ended or the connection closed (a hung request finishes when the client gives up). */
  public boolean finished() { return finishedNanos >= 0; }

  /** Time from body received to response end, or 0 while unfinished. */
  public long modelNanos() {
    long end = finishedNanos;
    return end < 0 ? 0 : end - receivedNanos;
  }

  public Duration modelTime() { return Duration.ofNanos(modelNanos()); }

  @Override
  public String toString() {
    return "RecordedRequest#" + index + "(model=" + model() + ", stream=" + streaming()
        + ", lastUser=" + lastUserText() + ", tools=" + toolNames() + ")";
  }
}
