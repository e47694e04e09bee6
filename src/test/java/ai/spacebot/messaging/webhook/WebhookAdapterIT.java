package ai.spacebot.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.DeliveryFailure;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import ai.spacebot.testkit.WebhookReceiver;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The webhook adapter's own cases, against one app with an operator token set, two webhooks (one with a callback
 * to a real local receiver, one for polling only) and the scripted model echoing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookAdapterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OPERATOR = "operator-token-for-the-webhook-test";
  private static final String SECRET = "tickets-secret-0123456789abcdef";
  private static final String SIGNING = "tickets-signing-key-fedcba9876543210";
  private static final String POLL_SECRET = "poll-only-secret-0123456789abcdef";
  private static final String FLAKY_SECRET = "flaky-secret-0123456789abcdef";

  private ScriptedModelServer model;
  private WebhookReceiver receiver;
  private TestApp app;

  @BeforeAll
  void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(WebhookAdapterIT::echo);
    receiver = WebhookReceiver.start();
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_AUTH_TOKEN", OPERATOR);
    env.put("TICKETS_SECRET", SECRET);
    String yaml = """
        api:
          max_body_bytes: 65536
          max_message_bytes: 4096
        delivery:
          max_attempts: 20
          initial_backoff_ms: 200
          max_backoff_ms: 500
        messaging:
          webhooks:
            - id: tickets
              secret: env:TICKETS_SECRET
              callback_url: %s
              callback_secret: %s
              timeout_ms: 2000
            - id: poll-only
              secret: %s
            - id: flaky
              secret: %s
              callback_url: http://127.0.0.1:1/nobody-listens-here
              max_attempts: 2
        """.formatted(receiver.url(), SIGNING, POLL_SECRET, FLAKY_SECRET);
    app = TestApp.start(env, Files.createTempDirectory("spacebot-webhook"), yaml, null);
    AppProbe.awaitAdapter(operator(), "webhook", "connected", WAIT);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private static ModelStep echo(RecordedRequest r) {
    String text = String.valueOf(r.lastUserText()).replaceAll("^\\[[^\\]]*\\] ", "");
    return ModelStep.toolCall("reply", new JsonObject().put("content", "echo: " + text).encode());
  }

  // ---- who may post ----

  @Test
  void theWebhookSecretIsTheOnlyKeyAndTheOperatorTokenIsNotNeeded() {
    JsonObject body = message("auth-1", "who may post");
    Http.Response missing = app.http.post("/api/webhook/tickets/messages", body.encode(), Map.of());
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().getString("error")).startsWith("unauthorized");
    assertThat(app.http.post("/api/webhook/tickets/messages", body.encode(), bearer(SECRET + "x")).status())
        .isEqualTo(401);
    // Another webhook's secret, the operator token and a web-chat visitor's session token are not this one's.
    assertThat(app.http.post("/api/webhook/tickets/messages", body.encode(), bearer(POLL_SECRET)).status())
        .isEqualTo(401);
    assertThat(app.http.post("/api/webhook/tickets/messages", body.encode(), bearer(OPERATOR)).status())
        .isEqualTo(401);
    String visitor = app.http.post("/api/portal/session", "{}", Map.of()).json().getString("token");
    assertThat(visitor).isNotBlank();
    Http.Response asVisitor = app.http.post("/api/webhook/tickets/messages", body.encode(), bearer(visitor));
    assertThat(asVisitor.status()).isEqualTo(401);
    assertThat(asVisitor.json().getString("error")).startsWith("unauthorized");
    // Refused requests made no message; the secret alone (no operator token) is accepted.
    Http.Response ok = app.http.post("/api/webhook/tickets/messages", body.encode(), bearer(SECRET));
    assertThat(ok.status()).as(ok.body()).isEqualTo(202);
    assertThat(ok.json().getBoolean("duplicate")).isFalse();
    assertThat(ok.json().getString("message_id")).isNotBlank();
    // The poll route is the webhook's too.
    assertThat(app.http.get("/api/webhook/tickets/conversations/auth-1/messages", bearer(OPERATOR)).status())
        .isEqualTo(401);
    assertThat(app.http.get("/api/webhook/tickets/conversations/auth-1/messages", bearer(visitor)).status())
        .isEqualTo(401);
    awaitReplies("auth-1", 1);
  }

  @Test
  void anUnknownWebhookIs404() {
    Http.Response r = app.http.post("/api/webhook/nobody/messages", message("x", "hi").encode(), bearer(SECRET));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getString("error")).isEqualTo("no webhook of this id is configured");
    assertThat(app.http.get("/api/webhook/nobody/conversations/x/messages", bearer(SECRET)).status()).isEqualTo(404);
  }

  @Test
  void aBadBodyIs400NamingTheField() {
    assertBad("not json", null);
    assertBad("[1, 2]", null);
    assertBad(message("c", "hi").putNull("text").encode(), "text");
    assertBad(message("c", "   ").encode(), "text");
    JsonObject noId = message("c", "hi");
    noId.remove("message_id");
    assertBad(noId.encode(), "message_id");
    assertBad(message("c", "hi").put("message_id", "").encode(), "message_id");
    assertBad(message("c", "hi").put("sender_id", new JsonObject()).encode(), "sender_id");
    assertBad(message("a/b", "hi").encode(), "conversation_id");
    assertBad(message("c", "hi").put("sender_name", "x".repeat(101)).encode(), "sender_name");
    assertBad(message("c", "hi").put("sender_id", "bad\u0001id").encode(), "sender_id");
    // A number for an id is read as text, as many systems number their tickets.
    Http.Response numeric = post(message("numeric", "numbers").put("sender_id", 42).put("message_id", 7));
    assertThat(numeric.status()).as(numeric.body()).isEqualTo(202);
    awaitReplies("numeric", 1);
    assertThat(app.http.get("/api/webhook/tickets/conversations/x/messages?after=-1", bearer(SECRET)).json()
        .getString("field")).isEqualTo("after");
    assertThat(app.http.get("/api/webhook/tickets/conversations/x/messages?limit=abc", bearer(SECRET)).status())
        .isEqualTo(400);
  }

  @Test
  void aBodyOrTextTooLargeIs413() {
    Http.Response body = post(message("big", "x".repeat(70_000)));
    assertThat(body.status()).isEqualTo(413);
    assertThat(body.json().getString("error")).contains("larger than 65536 bytes");
    Http.Response text = post(message("big", "y".repeat(5000)));
    assertThat(text.status()).isEqualTo(413);
    assertThat(text.json().getString("field")).isEqualTo("text");
  }

  // ---- exactly once ----

  @Test
  void aRetriedMessageIdMakesOneTurn() {
    int before = model.requestCount();
    JsonObject body = message("dup", "only once");
    Http.Response first = post(body);
    assertThat(first.status()).isEqualTo(202);
    Http.Response again = post(body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getBoolean("duplicate")).isTrue();
    assertThat(again.json().getString("message_id")).isEqualTo(first.json().getString("message_id"));
    awaitReplies("dup", 1);
    AppProbe.quiet(model, WAIT);
    assertThat(post(body).json().getBoolean("duplicate")).isTrue();
    AppProbe.quiet(model, WAIT);
    assertThat(model.requestCount() - before).isEqualTo(1);
    assertThat(receiver.accepted("message", "dup")).hasSize(1);
  }

  // ---- callbacks ----

  /** The README's recipe, written out independently: HMAC-SHA256 over timestamp "." body, hex, "sha256=" prefix. */
  @Test
  void theCallbackIsSignedAsTheReadmeSays() throws Exception {
    post(message("signed", "sign this"));
    WebhookReceiver.Arrival arrival = awaitReplies("signed", 1).get(0);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SIGNING.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = "sha256=" + HexFormat.of().formatHex(
        mac.doFinal((arrival.timestamp() + "." + arrival.raw()).getBytes(StandardCharsets.UTF_8)));
    assertThat(arrival.signature()).isEqualTo(expected);
    assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(arrival.timestamp()))).isLessThan(60);
    // Signed with callback_secret, not with the bearer secret.
    assertThat(WebhookSignature.verify(SECRET, Long.parseLong(arrival.timestamp()), arrival.raw(),
        arrival.signature())).isFalse();
    JsonObject body = arrival.body();
    assertThat(body.getString("kind")).isEqualTo("message");
    assertThat(body.getString("webhook_id")).isEqualTo("tickets");
    assertThat(body.getString("conversation_id")).isEqualTo("signed");
    assertThat(body.getString("text")).isEqualTo("echo: sign this");
    assertThat(body.getString("in_reply_to")).isEqualTo("m-signed");
    assertThat(body.getString("message_id")).isNotBlank();
    assertThat(body.getLong("sent_at")).isPositive();
  }

  @Test
  void aCallbackThatIsDownGetsTheReplyOnceItIsBack() throws Exception {
    receiver.down();
    try {
      int before = model.requestCount();
      post(message("outage", "while you were out"));
      Await.until(() -> model.requestCount() > before, WAIT, "the turn ran");
      // Attempts 200-500 ms apart: several fail while it is down.
      Thread.sleep(2000);
      assertThat(receiver.arrivals().stream().filter(a -> "outage".equals(a.body().getString("conversation_id"))))
          .isEmpty();
      assertThat(AppProbe.adapter(operator(), "webhook").getString("state")).isEqualTo("connected");
    } finally {
      receiver.up();
    }
    List<WebhookReceiver.Arrival> replies = awaitReplies("outage", 1);
    AppProbe.quiet(model, WAIT);
    Thread.sleep(1000);
    assertThat(receiver.accepted("message", "outage")).hasSize(1);
    assertThat(replies.get(0).body().getString("text")).isEqualTo("echo: while you were out");
  }

  /** A webhook's own max_attempts wins over delivery.max_attempts (20 here) for its conversations. */
  @Test
  void aWebhooksOwnMaxAttemptsEndsItsRetries() {
    Http.Response r = app.http.post("/api/webhook/flaky/messages", message("f1", "nobody hears this").encode(),
        bearer(FLAKY_SECRET));
    assertThat(r.status()).isEqualTo(202);
    Await.until(() -> AppProbe.failedDelivery(operator(), "webhook:flaky:f1") != null, WAIT, "given up");
    JsonObject failed = AppProbe.failedDelivery(operator(), "webhook:flaky:f1");
    assertThat(failed.getInteger("attempts")).isEqualTo(2);
    assertThat(failed.getString("last_error")).startsWith("callback flaky not reached");
  }

  /** What another channel (a tool, a cron job) sends to a webhook conversation nobody wrote in first. */
  @Test
  void aMessageToAConversationThatNeverWroteIsDelivered() {
    OutboundMessage out = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE, "main",
        "webhook", "webhook:tickets:fresh-42", "a message out of the blue", null, UUID.randomUUID().toString());
    JsonObject receipt = app.running().vertx().eventBus()
        .<JsonObject>request(Addresses.outbound("webhook"), out.toJson()).await().body();
    assertThat(receipt.getJsonArray("platform_message_ids")).containsExactly(out.id());
    List<WebhookReceiver.Arrival> got = receiver.accepted("message", "fresh-42");
    assertThat(got).hasSize(1);
    assertThat(got.get(0).body().getString("text")).isEqualTo("a message out of the blue");
    assertThat(got.get(0).body().getString("message_id")).isEqualTo(out.id());

    // Cards and buttons travel as "rich"; a reaction as kind "reaction" on the message it reacts to.
    JsonObject rich = new JsonObject().put("buttons", new JsonArray().add(new JsonObject().put("label", "Close ticket")
        .put("value", "close")));
    OutboundMessage card = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE, "main", "webhook",
        "webhook:tickets:fresh-42", "choose", null, UUID.randomUUID().toString(), null, null, rich, List.of(),
        List.of());
    OutboundMessage reaction = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.REACTION, "main",
        "webhook", "webhook:tickets:fresh-42", "👍", null, UUID.randomUUID().toString(), "their-message-7", null, null,
        List.of(), List.of());
    for (OutboundMessage m : List.of(card, reaction)) {
      app.running().vertx().eventBus().<JsonObject>request(Addresses.outbound("webhook"), m.toJson()).await();
    }
    assertThat(receiver.accepted("message", "fresh-42").get(1).body().getJsonObject("rich")).isEqualTo(rich);
    JsonObject reacted = receiver.accepted("reaction", "fresh-42").get(0).body();
    assertThat(reacted.getString("text")).isEqualTo("👍");
    assertThat(reacted.getString("in_reply_to")).isEqualTo("their-message-7");

    // A webhook that is not configured (any more) cannot get better by retrying: a permanent failure.
    OutboundMessage nowhere = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE, "main",
        "webhook", "webhook:gone:x", "hello?", null, UUID.randomUUID().toString());
    assertThatThrownBy(() -> app.running().vertx().eventBus()
        .<JsonObject>request(Addresses.outbound("webhook"), nowhere.toJson()).await())
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(DeliveryFailure.PERMANENT);
          assertThat(DeliveryFailure.from(e).error()).isEqualTo("no webhook \"gone\" is configured");
        });
  }

  // ---- polling ----

  @Test
  void theBotsMessagesArePolledInOrderAfterACursor() {
    post(message("polled", "first"));
    awaitReplies("polled", 1);
    post(message("polled", "second").put("message_id", "m-polled-2"));
    awaitReplies("polled", 2);
    JsonObject page = poll("tickets", SECRET, "polled", "");
    JsonArray messages = page.getJsonArray("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.getJsonObject(0).getString("text")).isEqualTo("echo: first");
    assertThat(messages.getJsonObject(1).getString("text")).isEqualTo("echo: second");
    assertThat(messages.getJsonObject(0).getString("status")).isEqualTo("delivered");
    assertThat(messages.getJsonObject(0).getString("message_id"))
        .isEqualTo(receiver.accepted("message", "polled").get(0).body().getString("message_id"));
    long first = messages.getJsonObject(0).getLong("cursor");
    assertThat(page.getLong("next_cursor")).isEqualTo(messages.getJsonObject(1).getLong("cursor")).isGreaterThan(first);

    JsonObject rest = poll("tickets", SECRET, "polled", "?after=" + first);
    assertThat(rest.getJsonArray("messages")).hasSize(1);
    assertThat(rest.getJsonArray("messages").getJsonObject(0).getString("text")).isEqualTo("echo: second");
    JsonObject none = poll("tickets", SECRET, "polled", "?after=" + page.getLong("next_cursor"));
    assertThat(none.getJsonArray("messages")).isEmpty();
    assertThat(none.getLong("next_cursor")).isEqualTo(page.getLong("next_cursor"));
    assertThat(poll("tickets", SECRET, "polled", "?limit=1").getJsonArray("messages")).hasSize(1);
    // Another conversation's messages are not in it.
    assertThat(poll("tickets", SECRET, "never-wrote", "").getJsonArray("messages")).isEmpty();
  }

  @Test
  void aWebhookWithoutCallbackIsPolled() {
    Http.Response r = app.http.post("/api/webhook/poll-only/messages", message("p1", "poll me").encode(),
        bearer(POLL_SECRET));
    assertThat(r.status()).isEqualTo(202);
    Await.until(() -> poll("poll-only", POLL_SECRET, "p1", "").getJsonArray("messages").size() == 1, WAIT,
        "the reply kept for polling");
    JsonObject reply = poll("poll-only", POLL_SECRET, "p1", "").getJsonArray("messages").getJsonObject(0);
    assertThat(reply.getString("text")).isEqualTo("echo: poll me");
    assertThat(reply.getString("in_reply_to")).isEqualTo("m-p1");
    Await.until(() -> "delivered".equals(poll("poll-only", POLL_SECRET, "p1", "").getJsonArray("messages")
        .getJsonObject(0).getString("status")), WAIT, "recorded as delivered");
    assertThat(receiver.accepted("message", "p1")).isEmpty();
    // The other webhook's secret does not read this one's conversations.
    assertThat(app.http.get("/api/webhook/poll-only/conversations/p1/messages", bearer(SECRET)).status())
        .isEqualTo(401);
  }

  // ---- helpers ----

  private JsonObject poll(String webhook, String secret, String conversation, String query) {
    Http.Response r = app.http.get("/api/webhook/" + webhook + "/conversations/" + conversation + "/messages" + query,
        bearer(secret));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private List<WebhookReceiver.Arrival> awaitReplies(String conversation, int n) {
    Await.until(() -> receiver.accepted("message", conversation).size() >= n, WAIT, n + " replies in " + conversation);
    return receiver.accepted("message", conversation);
  }

  private void assertBad(String body, String field) {
    Http.Response r = app.http.post("/api/webhook/tickets/messages", body, bearer(SECRET));
    assertThat(r.status()).as("%s: %s", body, r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).isNotBlank();
    assertThat(r.json().getString("field")).as(body).isEqualTo(field);
  }

  private Http.Response post(JsonObject body) {
    return app.http.post("/api/webhook/tickets/messages", body.encode(), bearer(SECRET));
  }

  private static JsonObject message(String conversation, String text) {
    return new JsonObject().put("conversation_id", conversation).put("sender_id", "u-" + conversation)
        .put("sender_name", "Person " + conversation).put("text", text).put("message_id", "m-" + conversation);
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  /** Operator calls (the operator token is set on this app). */
  private Http operator() {
    return app.http.withBearer(OPERATOR);
  }
}
