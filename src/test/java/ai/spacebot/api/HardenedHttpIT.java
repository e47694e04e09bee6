package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface under hostile input (issue 12 §4): malformed escapes are a 400, not a 500 with a stack
 * trace; slow senders, slow readers and connection hoarders are cut off; a model pin names a real
 * conversation. Everything goes over real sockets to the real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardenedHttpIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** The configured request deadline of the app below; the generous slack is for a loaded machine. */
  private static final int REQUEST_TIMEOUT_MS = 1500;

  private ScriptedModelServer model;
  private TestApp app;

  @BeforeAll
  void start() throws IOException {
    model = ScriptedModelServer.start();
    app = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-test"),
        "api:\n  request_timeout_ms: " + REQUEST_TIMEOUT_MS + "\n  idle_timeout_seconds: 3\n"
            + "events:\n  ping_seconds: 1\n", null);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    model.close();
  }

  // ---- 1. malformed percent-escapes ----

  @Test
  void aMalformedEscapeInAnyQueryOrPathIsA400WithoutAStackTrace() throws IOException {
    ListAppender<ILoggingEvent> logged = capture();
    try {
      for (String target : List.of(
          "/api/portal/history?agent_id=%zz&session_id=x",
          "/api/agents/memories/search?agent_id=main&query=%zz",
          "/api/agents/memories?agent_id=main&limit=%",
          "/api/events?agent_id=%z",
          "/api/status?x=%G1")) {
        Raw r = raw(app.port, "GET " + target);
        assertThat(r.status).as("GET %s -> %s", target, r.body).isEqualTo(400);
        assertThat(new JsonObject(r.body).getString("error")).as(target).contains("percent-encoding");
      }
      Raw path = raw(app.port, "DELETE /api/agents/memories/%zz");
      assertThat(path.status).as(path.body).isEqualTo(400);
      assertThat(new JsonObject(path.body).getString("error")).contains("percent-encoding");
    } finally {
      release(logged);
    }
    assertThat(logged.list).as("log lines").allSatisfy(e -> {
      assertThat(e.getThrowableProxy()).as("stack trace in %s", e.getFormattedMessage()).isNull();
      assertThat(e.getFormattedMessage()).hasSizeLessThan(300);
    });
  }

  @Test
  void wellFormedEscapesStillWork() throws IOException {
    Raw r = raw(app.port, "GET /api/portal/history?agent_id=ma%69n&session_id=a%2Db");
    assertThat(r.status).as(r.body).isEqualTo(200);
  }

  // ---- 2. request deadline and idle timeout ----

  @Test
  void aRequestWhoseHeadersTrickleInIsCutOff() throws Exception {
    try (Socket s = new Socket("127.0.0.1", app.port)) {
      s.setSoTimeout(200);
      OutputStream out = s.getOutputStream();
      out.write("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      // One byte every 200 ms: never idle long enough for the idle timeout (3 s), so only the deadline can end it.
      assertThat(trickleUntilClosed(s, REQUEST_TIMEOUT_MS + 8000)).as("closed while trickling headers").isTrue();
    }
  }

  @Test
  void aRequestWhoseBodyTricklesInIsCutOff() throws Exception {
    try (Socket s = new Socket("127.0.0.1", app.port)) {
      s.setSoTimeout(200);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/portal/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100000\r\n\r\n{\"agent_id\":").getBytes(StandardCharsets.US_ASCII));
      assertThat(trickleUntilClosed(s, REQUEST_TIMEOUT_MS + 8000)).as("closed while trickling the body").isTrue();
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", app.port)) {
      s.setSoTimeout(REQUEST_TIMEOUT_MS + 8000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void anEventStreamOutlivesTheRequestDeadlineAndTheIdleTimeout() {
    try (SseClient idle = app.events("channel_id=nobody-talks-here"); SseClient busy = app.events(null)) {
      // Longer than the request deadline (1.5 s) and the idle timeout (3 s): pings keep the quiet one open.
      long until = System.nanoTime() + Duration.ofMillis(4500).toNanos();
      while (System.nanoTime() < until) {
        idle.await("ping", null, Duration.ofSeconds(5));
      }
      assertThat(idle.isClosed()).isFalse();
      assertThat(busy.isClosed()).isFalse();
      app.running().vertx().eventBus().publish(Addresses.EVENTS,
          new JsonObject().put("type", "late_event").put("agent_id", "main").put("channel_id", "x"));
      busy.await("late_event", null, WAIT);
    }
  }

  @Test
  void aKeptAliveConnectionServesSeveralRequests() throws IOException {
    try (Socket s = new Socket("127.0.0.1", app.port)) {
      s.setSoTimeout(10_000);
      for (int i = 0; i < 3; i++) {
        s.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Raw r = readResponse(s.getInputStream());
        assertThat(r.status).isIn(200, 503);
      }
    }
  }

  // ---- 4. model pins name a real conversation ----

  @Test
  void aModelPinRefusesChannelIdsOfNoKnownShape() {
    for (String bad : List.of("bad\u0000id", "../..", "<script>alert(1)</script>", "portal:chat:main:../x",
        "portal:chat:main:" + "s".repeat(300), "telegram:abc", "telegram:1:2:3", "discord:1", "discord:dm:x",
        "discord:1:2:3:4", "portal:chat:main:", "portal:chat:other-agent:s1", "slack:\u202e", "")) {
      Http.Response r = pin(bad);
      assertThat(r.status()).as("%s -> %s", bad, r.body()).isEqualTo(400);
      assertThat(r.json().getString("field")).isEqualTo("channel_id");
    }
    for (String good : List.of("portal:chat:main:s1", "telegram:-1001234567890", "telegram:42:7", "discord:1:2",
        "discord:1:2:3", "discord:dm:99")) {
      Http.Response r = pin(good);
      assertThat(r.status()).as("%s -> %s", good, r.body()).isEqualTo(200);
    }
  }

  private Http.Response pin(String channelId) {
    return app.http.put("/api/channels/model",
        new JsonObject().put("agent_id", "main").put("channel_id", channelId).putNull("model").encode());
  }

  // ---- 3. a slow event-stream reader is bounded in bytes ----

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithASmallByteBound {
    /** 64 MB: far more than loopback socket buffers take, so the bound must act before this. */
    private static final int MAX_EVENTS = 2000;
    private TestApp small;

    @BeforeAll
    void startSmall() throws IOException {
      // Plenty of events allowed (no "lagged"), but only 256 KiB pending per client.
      small = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-test"),
          "events:\n  client_buffer: 100000\n  client_buffer_bytes: 262144\n", null);
    }

    @AfterAll
    void stopSmall() {
      if (small != null) {
        small.close();
      }
    }

    private int eventClients() {
      return small.http.get("/api/status").json().getInteger("event_clients");
    }

    /** A raw event-stream client with a small receive buffer that never reads; attached before it returns. */
    private Socket attachNonReader(int clientsBefore) throws IOException {
      Socket slow = new Socket();
      slow.setReceiveBufferSize(16 * 1024);
      slow.connect(new InetSocketAddress("127.0.0.1", small.port), 5000);
      slow.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Await.until(() -> eventClients() == clientsBefore + 1, WAIT, "the slow client attached");
      return slow;
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAndOthersKeepReceiving() throws Exception {
      int before = eventClients();
      ListAppender<ILoggingEvent> logged = capture();
      // The slow client attaches first, so it is cut off while others are still to be served the same event.
      try (Socket slow = attachNonReader(before); SseClient fast = small.events(null)) {
        Await.until(() -> eventClients() == before + 2, WAIT, "both clients attached");

        // Published in batches the reading client keeps up with, until the kernel's socket buffers (several
        // MB on loopback) are full and the slow client's backlog passes the bound.
        int published = 0;
        while (eventClients() == before + 2 && published < MAX_EVENTS) {
          for (int i = 0; i < 25; i++, published++) {
            small.running().vertx().eventBus().publish(Addresses.EVENTS, new JsonObject().put("type", "big")
                .put("agent_id", "main").put("channel_id", "x").put("n", published).put("pad", "x".repeat(32_000)));
          }
          int last = published - 1;
          fast.await("big", j -> j.getInteger("n") == last, WAIT);
        }
        Await.until(() -> eventClients() == before + 1, WAIT, "the slow client is disconnected");
        int total = published;
        assertThat(fast.isClosed()).isFalse();
        assertThat(fast.events()).filteredOn(e -> e.event().equals("big")).hasSize(total);

        // What the slow client's socket holds, then the end of the stream: the server closed it.
        slow.setSoTimeout(10_000);
        InputStream in = slow.getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
          while (in.read(buf) >= 0) {
            // drain
          }
        } catch (SocketException reset) {
          // a reset is a close too
        }
      } finally {
        release(logged);
      }
      assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("client_buffer_bytes"));
    }
  }

  // ---- 5. connections per client address ----

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithAConnectionBound {
    private static final int BOUND = 4;
    private TestApp bounded;

    @BeforeAll
    void startBounded() throws IOException {
      bounded = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-test"),
          "api:\n  max_connections_per_address: " + BOUND + "\n", null);
    }

    @AfterAll
    void stopBounded() {
      if (bounded != null) {
        bounded.close();
      }
    }

    @Test
    void oneConnectionMoreThanTheBoundIsClosedAtOnce() throws Exception {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < BOUND; i++) {
          held.add(new Socket("127.0.0.1", bounded.port));
        }
        try (Socket extra = new Socket("127.0.0.1", bounded.port)) {
          extra.setSoTimeout(10_000);
          int got;
          try {
            got = extra.getInputStream().read();
          } catch (SocketException reset) {
            got = -1;
          }
          assertThat(got).as("the connection over the bound is closed").isEqualTo(-1);
        }
        // The ones within the bound are served.
        Socket first = held.get(0);
        first.setSoTimeout(10_000);
        first.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readResponse(first.getInputStream()).status).isIn(200, 503);
        // A freed slot is usable again.
        held.remove(held.size() - 1).close();
        Await.until(() -> {
          try {
            return raw(bounded.port, "GET /api/health").status == 200;
          } catch (IOException e) {
            return false;
          }
        }, WAIT, "a new connection after one closed");
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  // ---- helpers ----

  private record Raw(int status, String body) {}

  /** Sends one request (no body) over a fresh socket, exactly as written, and reads the response. */
  private static Raw raw(int port, String requestLine) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return readResponse(s.getInputStream());
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length body. */
  private static Raw readResponse(InputStream in) throws IOException {
    String status = readLine(in);
    assertThat(status).startsWith("HTTP/1.1 ");
    int length = 0;
    String header;
    while (!(header = readLine(in)).isEmpty()) {
      if (header.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    return new Raw(Integer.parseInt(status.substring(9, 12)), new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed mid-line");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** Writes one byte every 200 ms (the socket's read timeout paces it) until the server closes the socket (true) or {@code withinMs} passes (false). */
  private static boolean trickleUntilClosed(Socket s, long withinMs) {
    long until = System.nanoTime() + Duration.ofMillis(withinMs).toNanos();
    while (System.nanoTime() < until) {
      try {
        if (s.getInputStream().read() == -1) {
          return true;
        }
      } catch (SocketTimeoutException quiet) {
        // nothing yet
      } catch (IOException reset) {
        return true;
      }
      try {
        s.getOutputStream().write('a');
        s.getOutputStream().flush();
      } catch (IOException closed) {
        return true;
      }
    }
    return false;
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
  }
}
