package ai.spacebot.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.Addressing;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter contract end to end, with an adapter written against {@link AdapterVerticle} whose platform is
 * the test itself: inbound is stored once, replies are delivered in order with receipts, a failed part is not
 * sent twice, rate limits are waited out, permanent failures are listed and can be retried, typing is refreshed
 * while a turn runs, modes and commands decide what is answered, edits never make a second reply, and the
 * adapter's state is visible in {@code GET /api/adapters}.
 */
class AdapterContractIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Addressing DM = new Addressing(true, false, Addressing.ACTIVE, false, false);
  private static ScriptedModelServer model;
  private static TestApp app;
  private static TestChatAdapter chat;
  private static volatile Function<String, String> answer = text -> "echo " + text;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(r -> ModelStep.toolCall("reply", new JsonObject().put("content", answer.apply(r.lastUserText())).encode()));
    app = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-adapters"),
        "delivery:\n  max_attempts: 3\n  initial_backoff_ms: 100\n  max_backoff_ms: 400\n"
            + "llm:\n  vision_models: [\"openai/scripted\"]\n", null);
    chat = new TestChatAdapter("testchat", 200);
    app.running().vertx().deployVerticle(chat).await();
    Await.until(() -> "connected".equals(adapter("testchat").getString("state")), WAIT, "testchat connected");
  }

  @AfterAll
  static void stop() {
    app.close();
    model.close();
  }

  @BeforeEach
  void reset() {
    answer = text -> "echo " + text;
    chat.faults.clear();
  }

  @Test
  void aReplyIsDeliveredOnceWithItsReceipt() {
    String conversation = conversation();
    assertThat(chat.say(conversation, "p1", "hello", DM).await().duplicate()).isFalse();
    Await.until(() -> sentTo(conversation).size() == 1, WAIT, "the reply");
    assertThat(sentTo(conversation).get(0)).contains("echo").contains("hello");
    JsonObject row = delivery(conversation, "delivered");
    assertThat(row.getJsonArray("platform_message_ids")).hasSize(1);
  }

  @Test
  void aRedeliveredMessageMakesOneTurn() {
    String conversation = conversation();
    int before = model.requestCount();
    assertThat(chat.say(conversation, "p1", "once", DM).await().duplicate()).isFalse();
    assertThat(chat.say(conversation, "p1", "once", DM).await().duplicate()).isTrue();
    Await.until(() -> sentTo(conversation).size() == 1, WAIT, "the reply");
    model.awaitQuiet(Duration.ofMillis(800), WAIT);
    assertThat(sentTo(conversation)).hasSize(1);
    assertThat(model.requestCount() - before).isEqualTo(1);
  }

  @Test
  void aPartThatFailedIsRetriedAloneAndThePartsArriveInOrder() {
    String conversation = conversation();
    answer = text -> "part one\n---\npart two\n---\npart three";
    chat.faults.add(TestChatAdapter.PASS);
    chat.faults.add(DeliveryException.transientFailure("502 Bad Gateway"));
    chat.say(conversation, "p1", "split please", DM).await();
    Await.until(() -> sentTo(conversation).size() == 3, WAIT, "three parts");
    assertThat(sentTo(conversation)).containsExactly(conversation + "|part one", conversation + "|part two",
        conversation + "|part three");
    JsonObject row = delivery(conversation, "delivered");
    assertThat(row.getInteger("attempts")).isEqualTo(2);
    assertThat(row.getJsonArray("platform_message_ids")).hasSize(3);
  }

  @Test
  void aRateLimitIsWaitedOutThenDeliveredOnce() {
    String conversation = conversation();
    chat.faults.add(DeliveryException.rateLimited("429 Too Many Requests: retry after 1.5", 1500));
    int attemptsBefore = chat.attempts.size();
    chat.say(conversation, "p1", "slowly", DM).await();
    Await.until(() -> sentTo(conversation).size() == 1, WAIT, "the reply after the wait");
    List<Long> attempts = chat.attempts.subList(attemptsBefore, chat.attempts.size());
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1) - attempts.get(0)).isGreaterThanOrEqualTo(1500);
  }

  @Test
  void aPermanentFailureIsListedAndCanBeRetried() {
    String conversation = conversation();
    chat.faults.add(DeliveryException.permanent("403 Forbidden: bot was blocked by the user"));
    chat.say(conversation, "p1", "are you there", DM).await();
    Await.until(() -> deliveryOrNull(conversation, "failed") != null, WAIT, "a failed delivery");
    JsonObject failed = deliveryOrNull(conversation, "failed");
    assertThat(failed.getString("last_error")).contains("403");
    assertThat(failed.getInteger("attempts")).isEqualTo(1);
    assertThat(sentTo(conversation)).isEmpty();

    var retried = app.http.post("/api/deliveries/" + failed.getString("id") + "/retry", "");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.json().getString("status")).isEqualTo("pending");
    Await.until(() -> sentTo(conversation).size() == 1, WAIT, "delivered on retry");
    Await.until(() -> deliveryOrNull(conversation, "delivered") != null, WAIT, "marked delivered");

    var again = app.http.post("/api/deliveries/" + failed.getString("id") + "/retry", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("error")).contains("delivered");
    assertThat(app.http.post("/api/deliveries/no-such-id/retry", "").status()).isEqualTo(404);
    var bad = app.http.get("/api/deliveries?state=lost");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("field")).isEqualTo("state");
  }

  @Test
  void sendFileSendsAWorkspaceFileWithTheReplyAndRefusesOthers() throws Exception {
    String conversation = conversation();
    java.nio.file.Path workspace = app.dataDir.resolve("agents/main/workspace");
    Files.createDirectories(workspace.resolve("reports"));
    Files.writeString(workspace.resolve("reports/summary.txt"), "all good");
    model.respondWith(r -> {
      if (!r.hasToolResult()) {
        return ModelStep.toolCalls(new ModelStep.ToolCall("send_file", "{\"path\":\"reports/summary.txt\"}"),
            new ModelStep.ToolCall("send_file", "{\"path\":\"../../spacebot.db\"}"));
      }
      return ModelStep.toolCall("reply", new JsonObject().put("content", "here it is; " + r.toolResults()).encode());
    });
    try {
      // Sending workspace files is an admin's tool by default (permissions: everyone has no send_file).
      chat.say(conversation, "f1", "send me the report", new Addressing(true, false, Addressing.ACTIVE, false, true))
          .await();
      Await.until(() -> sentTo(conversation).size() == 2, WAIT, "the file and the reply");
      assertThat(sentTo(conversation).get(0)).isEqualTo(conversation + "|file:reports/summary.txt");
      assertThat(sentTo(conversation).get(1)).contains("Will send reports/summary.txt").contains("outside the workspace");
    } finally {
      model.respondWith(r -> ModelStep.toolCall("reply", new JsonObject().put("content", answer.apply(r.lastUserText())).encode()));
    }
  }

  @Test
  void attachmentsAreShownToTheModelTextInlineImagesAsPictures() throws Exception {
    String conversation = conversation();
    java.nio.file.Path workspace = app.dataDir.resolve("agents/main/workspace");
    Files.createDirectories(workspace.resolve("attachments/testchat"));
    Files.writeString(workspace.resolve("attachments/testchat/notes.txt"), "the meeting moved to Thursday");
    byte[] png = java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    Files.write(workspace.resolve("attachments/testchat/dot.png"), png);
    Files.write(workspace.resolve("attachments/testchat/data.bin"), new byte[] {1, 2, 3});
    int before = model.requestCount();
    chat.say(conversation, "a1", "look at these", DM, List.of(
        new ai.spacebot.bus.Attachment("notes.txt", "text/plain", 29, "attachments/testchat/notes.txt", null),
        new ai.spacebot.bus.Attachment("dot.png", "image/png", png.length, "attachments/testchat/dot.png", null),
        new ai.spacebot.bus.Attachment("data.bin", "application/octet-stream", 3, "attachments/testchat/data.bin", null),
        new ai.spacebot.bus.Attachment("huge.mov", "video/quicktime", 900_000_000, null, "larger than 20 MB"))).await();
    Await.until(() -> sentTo(conversation).size() == 1, WAIT, "the reply");
    String prompt = model.requests().get(before).messages().encode();
    assertThat(prompt).contains("the meeting moved to Thursday").contains("attachments/testchat/data.bin")
        .contains("huge.mov").contains("larger than 20 MB").contains("data:image/png;base64,iVBORw0KGgo");
    // The picture is shown for its turn only, never carried in history.
    chat.say(conversation, "a2", "and now?", DM).await();
    Await.until(() -> sentTo(conversation).size() == 2, WAIT, "the second reply");
    assertThat(model.lastRequest().messages().encode()).doesNotContain("base64").contains("the meeting moved to Thursday");
  }

  @Test
  void typingIsRefreshedWhileATurnRunsAndStopsAfter() throws Exception {
    String conversation = conversation();
    model.respondWith(r -> ModelStep.toolCall("reply", "{\"content\":\"done thinking\"}").delayed(Duration.ofMillis(1300)));
    try {
      chat.say(conversation, "p1", "think", DM).await();
      Await.until(() -> sentTo(conversation).size() == 1, WAIT, "the reply");
      List<Long> during = List.copyOf(chat.typing.getOrDefault(conversation, List.of()));
      assertThat(during.size()).isGreaterThanOrEqualTo(4);
      Thread.sleep(700);
      assertThat(chat.typing.get(conversation)).hasSize(during.size());
    } finally {
      model.respondWith(r -> ModelStep.toolCall("reply", new JsonObject().put("content", answer.apply(r.lastUserText())).encode()));
    }
  }

  @Test
  void requireMentionAndModesDecideWhatIsAnswered() {
    String group = conversation();
    Addressing unmentioned = new Addressing(false, false, Addressing.ACTIVE, true, false);
    Addressing mentioned = new Addressing(false, true, Addressing.ACTIVE, true, false);
    chat.say(group, "g1", "just chatting", unmentioned).await();
    chat.say(group, "g2", "hey bot, hello", mentioned).await();
    Await.until(() -> sentTo(group).size() == 1, WAIT, "an answer to the mention");
    assertThat(sentTo(group).get(0)).contains("hey bot");
    assertThat(status(group, "just chatting")).isEqualTo("observed");

    String observed = conversation();
    chat.say(observed, "o1", "anyone?", new Addressing(false, true, Addressing.OBSERVE, false, false)).await();
    String mentionOnly = conversation();
    chat.say(mentionOnly, "m1", "no mention", new Addressing(false, false, Addressing.MENTION_ONLY, false, false)).await();
    chat.say(mentionOnly, "m2", "/help", new Addressing(false, false, Addressing.MENTION_ONLY, false, false)).await();
    Await.until(() -> sentTo(mentionOnly).size() == 1, WAIT, "the help");
    assertThat(sentTo(mentionOnly).get(0)).contains("/whoami");
    Await.until(() -> "observed".equals(status(observed, "anyone?")), WAIT, "kept, not answered");
    assertThat(status(mentionOnly, "no mention")).isEqualTo("observed");
    assertThat(sentTo(observed)).isEmpty();

    String dm = conversation();
    chat.say(dm, "d1", "direct always", new Addressing(true, false, Addressing.OBSERVE, false, false)).await();
    Await.until(() -> sentTo(dm).size() == 1, WAIT, "a DM answered whatever the mode");
  }

  @Test
  void commandsAreAnsweredWithoutTheModelAndModesNeedAuthority() throws Exception {
    String group = conversation();
    Addressing member = new Addressing(false, false, Addressing.ACTIVE, false, false);
    Addressing operator = new Addressing(false, false, Addressing.ACTIVE, false, true);
    model.awaitQuiet(Duration.ofMillis(500), WAIT);
    int before = model.requestCount();
    chat.say(group, "c1", "/whoami", member).await();
    Await.until(() -> sentTo(group).size() == 1, WAIT, "whoami");
    assertThat(sentTo(group).get(0)).contains("user-1").contains(group).contains("cannot");
    chat.say(group, "c2", "/observe", member).await();
    Await.until(() -> sentTo(group).size() == 2, WAIT, "refused");
    assertThat(sentTo(group).get(1)).contains("Only this bot's operators");
    chat.say(group, "c3", "/model", member).await();
    Await.until(() -> sentTo(group).size() == 3, WAIT, "the model");
    assertThat(sentTo(group).get(2)).contains("openai/scripted");
    assertThat(model.requestCount()).isEqualTo(before);

    chat.say(group, "c4", "/observe", operator).await();
    Await.until(() -> sentTo(group).size() == 4, WAIT, "observe confirmed");
    chat.say(group, "c5", "quiet now", member).await();
    Await.until(() -> "observed".equals(status(group, "quiet now")), WAIT, "kept in observe mode");
    chat.say(group, "c6", "/active", operator).await();
    Await.until(() -> sentTo(group).size() == 5, WAIT, "active confirmed");
    chat.say(group, "c7", "talk again", member).await();
    Await.until(() -> sentTo(group).size() == 6, WAIT, "answered again");
    assertThat(sentTo(group).get(5)).contains("talk again");
  }

  @Test
  void anEditUpdatesTheTranscriptAndMakesNoSecondReply() throws Exception {
    String conversation = conversation();
    chat.say(conversation, "e1", "first words", DM).await();
    Await.until(() -> sentTo(conversation).size() == 1, WAIT, "the reply");
    chat.edit(conversation, "e1", "second thoughts", false).await();
    Await.until(() -> history(conversation).stream().anyMatch(m -> m.getString("text").equals("second thoughts")), WAIT,
        "the edited text");
    chat.edit(conversation, "e1", null, true).await();
    Await.until(() -> history(conversation).stream().noneMatch(m -> m.getString("text").contains("thoughts")), WAIT,
        "the deleted message gone from history");
    Thread.sleep(500);
    assertThat(sentTo(conversation)).hasSize(1);
  }

  @Test
  void adapterStateIsReportedAndALostConnectionComesBack() {
    JsonObject status = adapter("testchat");
    assertThat(status.getString("state")).isEqualTo("connected");
    int reconnects = status.getInteger("reconnects");
    int connects = chat.connects.get();
    chat.lose("socket closed by peer");
    Await.until(() -> chat.connects.get() > connects && "connected".equals(adapter("testchat").getString("state")), WAIT,
        "reconnected");
    JsonObject after = adapter("testchat");
    assertThat(after.getInteger("reconnects")).isEqualTo(reconnects + 1);
    assertThat(after.getString("last_error")).contains("socket closed");
    assertThat(after.getLong("messages_in")).isPositive();
  }

  @Test
  void anAdapterThatIsRefusedSaysSoAndTheWebChatStillAnswers() throws Exception {
    TestChatAdapter refused = new TestChatAdapter("refusedchat", 0);
    refused.connectFaults.add(new AdapterVerticle.ConnectionRefused("the bot token was refused (401 Unauthorized); check REFUSEDCHAT_TOKEN"));
    app.running().vertx().deployVerticle(refused).await();
    Await.until(() -> "failed".equals(adapterOrEmpty("refusedchat").getString("state")), WAIT, "refusedchat failed");
    assertThat(adapter("refusedchat").getString("last_error")).contains("REFUSEDCHAT_TOKEN");
    Thread.sleep(1500);
    assertThat(refused.connects.get()).isEqualTo(1);
    var sent = app.http.send("main", "web-" + UUID.randomUUID(), "Web", "still there?");
    assertThat(sent.status()).isEqualTo(200);
    assertThat(adapter("portal").getString("state")).isEqualTo("connected");
  }

  private static String conversation() {
    return "testchat:" + UUID.randomUUID();
  }

  private static List<String> sentTo(String conversation) {
    return chat.sent.stream().filter(s -> s.startsWith(conversation + "|")).toList();
  }

  private static JsonObject adapter(String name) {
    JsonObject found = adapterOrEmpty(name);
    assertThat(found.isEmpty()).as("adapter " + name + " listed").isFalse();
    return found;
  }

  private static JsonObject adapterOrEmpty(String name) {
    var response = app.http.get("/api/adapters");
    assertThat(response.status()).isEqualTo(200);
    JsonArray adapters = response.json().getJsonArray("adapters");
    for (int i = 0; i < adapters.size(); i++) {
      if (name.equals(adapters.getJsonObject(i).getString("name"))) {
        return adapters.getJsonObject(i);
      }
    }
    return new JsonObject();
  }

  private static JsonObject delivery(String conversation, String state) {
    Await.until(() -> deliveryOrNull(conversation, state) != null, WAIT, "a " + state + " delivery for " + conversation);
    return deliveryOrNull(conversation, state);
  }

  private static JsonObject deliveryOrNull(String conversation, String state) {
    var response = app.http.get("/api/deliveries?state=" + state + "&platform=testchat&limit=1000");
    assertThat(response.status()).isEqualTo(200);
    JsonArray rows = response.json().getJsonArray("deliveries");
    for (int i = 0; i < rows.size(); i++) {
      if (conversation.equals(rows.getJsonObject(i).getString("conversation_id"))) {
        return rows.getJsonObject(i);
      }
    }
    return null;
  }

  private static List<JsonObject> history(String conversation) {
    JsonArray messages = app.running().vertx().eventBus()
        .<JsonObject>request(Addresses.HISTORY, new JsonObject().put("conversation_id", conversation).put("limit", 50))
        .await().body().getJsonArray("messages");
    return messages.stream().map(o -> (JsonObject) o).toList();
  }

  private static String status(String conversation, String text) {
    return history(conversation).stream().filter(m -> text.equals(m.getString("text"))).map(m -> m.getString("status"))
        .findFirst().orElse(null);
  }
}
