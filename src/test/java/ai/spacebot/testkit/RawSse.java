package ai.spacebot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An event stream read as raw bytes off a socket: exactly what the server wrote (chunk framing included), nothing
 * parsed away, for asserting what never reached a client.
 */
public final class RawSse implements AutoCloseable {
  private final Socket socket;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Thread reader;

  private RawSse(Socket socket) {
    this.socket = socket;
    this.reader = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = socket.getInputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (bytes) {
            bytes.write(buf, 0, n);
          }
        }
      } catch (IOException closed) {
        // the test closed it
      }
    }, "raw-sse");
    reader.setDaemon(true);
    reader.start();
  }

  /** Sends a GET for {@code target} with {@code headers}; returns once the stream has opened with a 200. */
  public static RawSse open(int port, String target, Map<String, String> headers) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    RawSse sse = new RawSse(s);
    Await.until(() -> sse.text().contains("retry: 2000"), Duration.ofSeconds(20), "the stream opened: " + target);
    assertThat(sse.text()).startsWith("HTTP/1.1 200");
    return sse;
  }

  public String text() {
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  public void awaitText(String s, Duration within) {
    Await.until(() -> text().contains(s), within, "\"" + s + "\" on the stream");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
