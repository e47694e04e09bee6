package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.bus.Addresses;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every kind of bad input to the HTTP API gets a clear JSON error (never a 500) and changes nothing;
 * the bearer token guards every route but health; a slow event-stream client is cut off from the
 * backlog (and told so) without slowing anyone else.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiValidationIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** Every bad request below that gets as far as a session names this one; it must stay empty. */
  private static final String BAD_SESSION = "validation-session";

  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    app = TestApp.start(TestApp.envFor(model));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    model.close();
  }

  // ---- helpers ----

  private static JsonObject goodBody() {
    return new JsonObject().put("agent_id", "main").put("session_id", BAD_SESSION).put("sender_name", "Val")
        .put("message", "hello");
  }

  private static Http.Response send(JsonObject body) {
    return app.http.postJson("/api/portal/send", body);
  }

  /** The response is {@code status} with a JSON body {error: non-blank string[, field]}. */
  private static JsonObject assertError(Http.Response r, int status, String field) {
    assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
    JsonObject body = r.json();
    assertThat(body.getValue("error")).as("error in %s", r.body()).isInstanceOf(String.class);
    assertThat(body.getString("error")).isNotBlank().doesNotContain("Exception").doesNotContain("at ai.spacebot");
    if (field == null) {
      assertThat(body.containsKey("field")).as("no field in %s", r.body()).isFalse();
    } else {
      assertThat(body.getString("field")).as("field in %s", r.body()).isEqualTo(field);
    }
    return body;
  }

  private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    Await.until(condition, timeout, what);
  }


  // ---- body shape ----

  @Test
  void malformedJson() {
    JsonObject e = assertError(app.http.post("/api/portal/send", "{\"agent_id\": \"main\", "), 400, null);
    assertThat(e.getString("error")).contains("not valid JSON");
  }

  @Test
  void jsonArrayBody() {
    JsonObject e = assertError(app.http.post("/api/portal/send", "[" + goodBody().encode() + "]"), 400, null);
    assertThat(e.getString("error")).contains("JSON object");
  }

  @Test
  void otherJsonValuesAsBody() {
    for (String body : new String[] {"null", "42", "\"text\"", "true"}) {
      assertError(app.http.post("/api/portal/send", body), 400, null);
    }
  }

  @Test
  void emptyBody() {
    assertError(app.http.post("/api/portal/send", ""), 400, null);
    assertError(app.http.post("/api/portal/send", "   \n"), 400, null);
  }

  // ---- required fields ----

  @Test
  void eachRequiredFieldMissingEmptyOrNotAString() {
    for (String field : new String[] {"agent_id", "session_id", "sender_name", "message"}) {
      JsonObject missing = goodBody();
      missing.remove(field);
      assertThat(assertError(send(missing), 400, field).getString("error")).contains(field).contains("required");

      assertThat(assertError(send(goodBody().put(field, "")), 400, field).getString("error")).contains("empty");
      assertThat(assertError(send(goodBody().put(field, "  ")), 400, field).getString("error")).contains("empty");
      assertThat(assertError(send(goodBody().put(field, 42)), 400, field).getString("error")).contains("string");
      assertError(send(goodBody().putNull(field)), 400, field);
      assertError(send(goodBody().put(field, new JsonObject().put("x", 1))), 400, field);
      assertError(send(goodBody().put(field, new JsonArray().add("main"))), 400, field);
    }
  }

  @Test
  void unknownAgent() {
    JsonObject e = assertError(send(goodBody().put("agent_id", "nobody")), 400, "agent_id");
    assertThat(e.getString("error")).contains("nobody").contains("main");
  }

  @Test
  void sessionIdWithIllegalCharacters() {
    for (String bad : new String[] {"has space", "a/b", "semi;colon", "quote\"", "ümlaut", "x".repeat(129)}) {
      assertError(send(goodBody().put("session_id", bad)), 400, "session_id");
    }
  }

  @Test
  void overlongSenderName() {
    assertError(send(goodBody().put("sender_name", "n".repeat(101))), 400, "sender_name");
  }

  @Test
  void clientMessageIdOfTheWrongType() {
    assertError(send(goodBody().put("client_message_id", 7)), 400, "client_message_id");
    assertError(send(goodBody().put("client_message_id", "")), 400, "client_message_id");
    assertError(send(goodBody().put("client_message_id", new JsonObject())), 400, "client_message_id");
    assertError(send(goodBody().put("client_message_id", "c".repeat(129))), 400, "client_message_id");
  }

  // ---- sizes ----

  @Test
  void messageOneByteOverTheLimitIs413() {
    JsonObject e = assertError(send(goodBody().put("message", "a".repeat(65537))), 413, "message");
    assertThat(e.getString("error")).contains("65536");
    // Counted in UTF-8 bytes, not characters: 32768 two-byte characters plus one more byte.
    assertError(send(goodBody().put("message", "é".repeat(32768) + "a")), 413, "message");
  }

  @Test
  void messageOfExactlyTheLimitIsAccepted() {
    for (String text : new String[] {"a".repeat(65536), "é".repeat(32768)}) {
      String session = "limit-" + System.nanoTime();
      try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
        Http.Response sent = send(goodBody().put("session_id", session).put("message", text));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().getBoolean("ok")).isTrue();
        assertThat(events.await("inbound_message", null, WAIT).json().getString("text")).isEqualTo(text);
        // Let the turn finish so it cannot overlap another test's scripted model.
        events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
      }
    }
  }

  @Test
  void bodyOverTenMebibytesIs413() {
    String pad = "p".repeat(10 * 1024 * 1024 + 512 * 1024);
    String body = goodBody().put("padding", pad).encode();
    JsonObject e = assertError(app.http.post("/api/portal/send", body), 413, null);
    assertThat(e.getString("error")).contains("10485760");
  }

  @Test
  void chunkedBodyOverTenMebibytesIs413() throws Exception {
    // No Content-Length: the server must count while reading.
    byte[] bytes = goodBody().put("padding", "p".repeat(10 * 1024 * 1024 + 512 * 1024)).encode()
        .getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(app.url("/api/portal/send")))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
        .timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(request, HttpResponse.BodyHandlers.ofString());
    assertError(new Http.Response(r.statusCode(), r.body()), 413, null);
  }

  // ---- history and routes ----

  @Test
  void historyParameters() {
    String base = "/api/portal/history?";
    assertError(app.http.get(base + "session_id=" + BAD_SESSION), 400, "agent_id");
    assertError(app.http.get(base + "agent_id=main"), 400, "session_id");
    assertError(app.http.get(base + "agent_id=&session_id=" + BAD_SESSION), 400, "agent_id");
    assertError(app.http.get(base + "agent_id=nobody&session_id=" + BAD_SESSION), 400, "agent_id");
    assertError(app.http.get(base + "agent_id=main&session_id=a%2Fb"), 400, "session_id");
    for (String limit : new String[] {"0", "-1", "abc", "5000", "1.5", "99999999999"}) {
      assertError(app.http.get(base + "agent_id=main&session_id=" + BAD_SESSION + "&limit=" + limit), 400, "limit");
    }
    Http.Response ok = app.http.get(base + "agent_id=main&session_id=" + BAD_SESSION + "&limit=1000");
    assertThat(ok.status()).isEqualTo(200);
  }

  @Test
  void eventsForAnUnknownAgent() {
    assertError(app.http.get("/api/events?agent_id=nobody"), 400, "agent_id");
  }

  @Test
  void unknownApiRouteIsJson404() {
    assertThat(assertError(app.http.get("/api/nope"), 404, null).getString("error")).contains("/api/nope");
    assertError(app.http.post("/api/nope", "{}"), 404, null);
    assertError(app.http.get("/api/portal/send"), 404, null);
    assertError(app.http.post("/api/status", "{}"), 404, null);
  }

  // ---- nothing was broken, nothing was stored ----

  @Test
  @Order(Integer.MAX_VALUE)
  void afterAllTheBadRequestsAGoodMessageIsAnsweredAndIsAllThatWasStored() {
    int modelCallsBefore = model.requestCount();
    model.enqueue(ModelStep.text("still here"));
    String channel = "portal:chat:main:" + BAD_SESSION;
    try (SseClient events = app.events("channel_id=" + channel)) {
      Http.Response sent = send(goodBody().put("message", "the one good message"));
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("still here");
      events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
    }
    assertThat(model.requestCount()).isEqualTo(modelCallsBefore + 1);

    JsonArray history = app.http.get("/api/portal/history?agent_id=main&session_id=" + BAD_SESSION).json()
        .getJsonArray("messages");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("direction")).isEqualTo("inbound");
    assertThat(history.getJsonObject(0).getString("text")).isEqualTo("the one good message");
    assertThat(history.getJsonObject(1).getString("text")).isEqualTo("still here");
  }

  // ---- auth ----

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithAnAuthToken {
    private static final String TOKEN = "secret-token";
    private TestApp secured;

    @BeforeAll
    void startSecured() throws IOException {
      Map<String, String> env = new HashMap<>(TestApp.envFor(model));
      env.put("SPACEBOT_AUTH_TOKEN", TOKEN);
      secured = TestApp.start(env);
    }

    @AfterAll
    void stopSecured() {
      if (secured != null) {
        secured.close();
      }
    }

    private void assertUnauthorized(Http.Response r) {
      assertThat(r.status()).as(r.body()).isEqualTo(401);
      assertThat(r.json()).isEqualTo(new JsonObject().put("error", "unauthorized"));
    }

    @Test
    void everyRouteButHealthNeedsTheToken() {
      String history = "/api/portal/history?agent_id=main&session_id=auth-check";
      String body = goodBody().put("session_id", "auth-check").encode();
      for (Map<String, String> headers : List.of(
          Map.<String, String>of(),
          Map.of("Authorization", "Bearer wrong-token"),
          Map.of("Authorization", "Bearer secret-token-and-more"),
          Map.of("Authorization", "Bearer "),
          Map.of("Authorization", "Basic c2VjcmV0LXRva2Vu"),
          Map.of("Authorization", TOKEN))) {
        assertUnauthorized(secured.http.get("/api/status", headers));
        assertUnauthorized(secured.http.post("/api/portal/send", body, headers));
        assertUnauthorized(secured.http.get(history, headers));
        assertUnauthorized(secured.http.get("/api/events", headers));
        assertUnauthorized(secured.http.get("/api/nope", headers));
      }
      assertUnauthorized(secured.http.get("/api/events?token=wrong-token"));
      // Only the event stream takes the token as a query parameter.
      assertUnauthorized(secured.http.get("/api/status?token=" + TOKEN));
      // None of the refused messages was stored.
      Http.Response stored = secured.http.get(history, Map.of("Authorization", "Bearer " + TOKEN));
      assertThat(stored.json().getJsonArray("messages")).isEmpty();
    }

    @Test
    void eventStreamRefusesAWrongTokenBeforeStreaming() {
      assertThatThrownBy(() -> SseClient.connect(secured.url("/api/events"), Map.of("Authorization", "Bearer nope")))
          .isInstanceOfSatisfying(SseClient.UnexpectedStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(new JsonObject(e.body())).isEqualTo(new JsonObject().put("error", "unauthorized"));
          });
    }

    @Test
    void theRightBearerTokenIsAccepted() {
      Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
      assertThat(secured.http.get("/api/status", auth).status()).isEqualTo(200);
      assertThat(secured.http.get("/api/status", Map.of("Authorization", "bearer " + TOKEN)).status()).isEqualTo(200);
      String session = "auth-ok-" + System.nanoTime();
      Http.Response sent = secured.http.post("/api/portal/send", goodBody().put("session_id", session).encode(), auth);
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      Http.Response history = secured.http.get("/api/portal/history?agent_id=main&session_id=" + session, auth);
      assertThat(history.status()).isEqualTo(200);
      assertThat(history.json().getJsonArray("messages")).isNotEmpty();
      try (SseClient events = SseClient.connect(secured.url("/api/events"), auth)) {
        assertThat(events.status()).isEqualTo(200);
      }
    }

    @Test
    void eventStreamTakesTheTokenAsAQueryParameter() {
      try (SseClient events = SseClient.connect(secured.url("/api/events?token=" + TOKEN))) {
        assertThat(events.status()).isEqualTo(200);
        secured.running().vertx().eventBus().publish(Addresses.EVENTS,
            new JsonObject().put("type", "test_probe").put("agent_id", "main").put("channel_id", "x"));
        assertThat(events.await("test_probe", WAIT)).isNotNull();
      }
    }

    @Test
    void healthNeedsNoToken() {
      Http.Response health = secured.http.get("/api/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().getString("status")).isEqualTo("ok");
    }
  }

  // ---- slow event-stream clients ----

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithASmallClientBuffer {
    private static final int FILLERS = 3000;
    private TestApp small;

    @BeforeAll
    void startSmall() throws IOException {
      small = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-test"),
          "events:\n  client_buffer: 8\n  replay_buffer: 100\n  ping_seconds: 1\n", null);
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

    private void publishFiller(int n) {
      small.running().vertx().eventBus().publish(Addresses.EVENTS, new JsonObject()
          .put("type", "test_filler").put("agent_id", "main").put("channel_id", "x").put("n", n)
          .put("pad", "x".repeat(8000)));
    }

    @Test
    void aClientThatDoesNotReadIsToldItLaggedAndSlowsNobody() throws Exception {
      int before = eventClients();
      try (SseClient fast = small.events(null); Socket slow = new Socket()) {
        slow.setReceiveBufferSize(16 * 1024);
        slow.connect(new InetSocketAddress("127.0.0.1", small.port), 5000);
        slow.setSoTimeout(20_000);
        OutputStream out = slow.getOutputStream();
        out.write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + small.port
            + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        awaitTrue("both clients attached", WAIT, () -> eventClients() == before + 2);

        // Published in batches; each batch must reach the reading client within a few seconds. (A burst
        // faster than any client can read would rightly make every client lag, so the pace follows it.)
        long started = System.nanoTime();
        for (int n = 0; n < FILLERS; n++) {
          publishFiller(n);
          if (n % 50 == 49 || n == FILLERS - 1) {
            int batchEnd = n;
            fast.await("test_filler", j -> j.getInteger("n") == batchEnd, Duration.ofSeconds(5));
          }
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(fast.events()).as("the reading client lost nothing (took %d ms)", tookMs)
            .filteredOn(e -> e.event().equals("test_filler")).hasSize(FILLERS)
            .allSatisfy(e -> assertThat(e.json().getString("pad")).hasSize(8000));
        assertThat(fast.events()).noneMatch(e -> e.event().equals("lagged"));

        // Now the slow client reads: a few queued fillers, then "lagged" with what it missed.
        JsonObject lagged = readUntilLagged(slow.getInputStream());
        assertThat(lagged.getLong("skipped")).as("lagged event %s", lagged).isPositive();
        assertThat(lagged.getString("type")).isEqualTo("lagged");
      }
      awaitTrue("clients detached", WAIT, () -> eventClients() == before);
    }

    @Test
    void idleStreamGetsAPingEveryConfiguredInterval() {
      try (SseClient idle = small.events("channel_id=nobody-talks-here")) {
        idle.await("ping", null, Duration.ofSeconds(5));
        idle.await("ping", null, Duration.ofSeconds(5));
      }
    }

    @Test
    void closedClientsAreRemoved() {
      int before = eventClients();
      SseClient a = small.events(null);
      SseClient b = small.events("agent_id=main");
      SseClient c = small.events("channel_id=x");
      awaitTrue("three more clients", WAIT, () -> eventClients() == before + 3);
      a.close();
      awaitTrue("one fewer client", WAIT, () -> eventClients() == before + 2);
      b.close();
      c.close();
      awaitTrue("back to the start", WAIT, () -> eventClients() == before);
    }

    @Test
    void aClientThatVanishesMidStreamIsRemoved() throws Exception {
      int before = eventClients();
      try (Socket raw = new Socket("127.0.0.1", small.port)) {
        raw.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        awaitTrue("raw client attached", WAIT, () -> eventClients() == before + 1);
      }
      for (int n = 0; n < 20; n++) {
        publishFiller(n);
      }
      awaitTrue("raw client removed", WAIT, () -> eventClients() == before);
    }

    /** Reads an HTTP/1.1 chunked SSE response until a {@code lagged} event; returns its data. */
    private JsonObject readUntilLagged(InputStream raw) throws IOException {
      InputStream in = new BufferedInputStream(raw, 64 * 1024);
      String statusLine = readLine(in);
      assertThat(statusLine).startsWith("HTTP/1.1 200");
      String header;
      boolean chunked = false;
      while (!(header = readLine(in)).isEmpty()) {
        chunked |= header.toLowerCase().replace(" ", "").equals("transfer-encoding:chunked");
      }
      assertThat(chunked).isTrue();
      StringBuilder pending = new StringBuilder();
      String event = null;
      while (true) {
        int size = Integer.parseInt(readLine(in).trim().split(";")[0], 16);
        if (size == 0) {
          throw new AssertionError("stream ended without a lagged event");
        }
        pending.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        readLine(in); // the CRLF after the chunk
        int nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
          String line = pending.substring(0, nl);
          pending.delete(0, nl + 1);
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ") && "lagged".equals(event)) {
            return new JsonObject(line.substring(6));
          } else if (line.isEmpty()) {
            event = null;
          }
        }
      }
    }

    private String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new AssertionError("connection closed mid-line");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.US_ASCII);
    }
  }
}
