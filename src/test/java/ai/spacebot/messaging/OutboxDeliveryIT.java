package ai.spacebot.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replies leave through the outbox: retried with backoff when a platform fails, not retried when it
 * says the failure is permanent. The platform here is a bus consumer standing in for an adapter, the
 * same contract the portal adapter (and later Discord, Slack, ...) implements.
 */
class OutboxDeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(r -> ModelStep.toolCall("reply", "{\"content\":\"delivered eventually\"}"));
    app = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-outbox"),
        "delivery:\n  max_attempts: 3\n  initial_backoff_ms: 100\n  max_backoff_ms: 400\n", null);
  }

  @AfterAll
  static void stop() {
    app.close();
    model.close();
  }

  @Test
  void transientFailuresAreRetriedWithBackoffUntilDelivered() throws Exception {
    Vertx vertx = app.running().vertx();
    List<Long> attempts = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.outbound("flaky"), m -> {
      attempts.add(System.nanoTime());
      if (calls.incrementAndGet() < 3) {
        m.fail(503, "platform unavailable");
      } else {
        m.reply(new JsonObject());
      }
    }).completion().await();

    String conversation = accept("flaky");
    awaitStatus(conversation, "delivered");
    assertThat(attempts).hasSize(3);
    assertThat(Duration.ofNanos(attempts.get(1) - attempts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(90));
    assertThat(Duration.ofNanos(attempts.get(2) - attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(180));
  }

  @Test
  void permanentFailureIsNotRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    app.running().vertx().eventBus().<JsonObject>consumer(Addresses.outbound("broken"), m -> {
      calls.incrementAndGet();
      m.fail(Addresses.PERMANENT_FAILURE, "unknown channel");
    }).completion().await();

    String conversation = accept("broken");
    awaitStatus(conversation, "failed");
    Thread.sleep(500);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void givesUpAfterMaxAttempts() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    app.running().vertx().eventBus().<JsonObject>consumer(Addresses.outbound("down"), m -> {
      calls.incrementAndGet();
      m.fail(503, "still down");
    }).completion().await();

    String conversation = accept("down");
    awaitStatus(conversation, "failed");
    Thread.sleep(700);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void aPlatformErrorQuotingACredentialIsKeptRedacted() throws Exception {
    // TestApp's OPENAI_API_KEY ("test-key") is a known secret; a platform error can quote a URL holding a token.
    app.running().vertx().eventBus().<JsonObject>consumer(Addresses.outbound("leaky"), m ->
        m.fail(Addresses.PERMANENT_FAILURE, "POST https://api.example.org/bottest-key/sendMessage: 403 Forbidden"))
        .completion().await();

    String conversation = accept("leaky");
    awaitStatus(conversation, "failed");
    String deliveries = app.http.get("/api/deliveries?state=failed&platform=leaky").body();
    assertThat(deliveries).contains("/bot[REDACTED:llm.providers.openai.api_key]/sendMessage: 403 Forbidden")
        .doesNotContain("test-key");
  }

  /** Sends an inbound message the way a platform adapter does; returns its conversation id. */
  private static String accept(String platform) {
    String conversation = platform + ":" + UUID.randomUUID();
    InboundMessage in = new InboundMessage(UUID.randomUUID().toString(), "main", platform, conversation, "u1", "Vee",
        "hello from " + platform, System.currentTimeMillis(), "pm-1", new JsonObject());
    JsonObject accepted = app.running().vertx().eventBus().<JsonObject>request(Addresses.INBOUND, in.toJson()).await().body();
    assertThat(accepted.getBoolean("duplicate")).isFalse();
    return conversation;
  }

  private static void awaitStatus(String conversation, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      JsonArray messages = app.running().vertx().eventBus()
          .<JsonObject>request(Addresses.HISTORY, new JsonObject().put("conversation_id", conversation).put("limit", 10))
          .await().body().getJsonArray("messages");
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = messages.getJsonObject(i);
        if (m.getString("direction").equals("outbound")) {
          last = m.getString("status");
        }
      }
      if (status.equals(last)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("outbound status " + last + ", expected " + status);
  }
}
