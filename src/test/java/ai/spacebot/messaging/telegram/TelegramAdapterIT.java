package ai.spacebot.messaging.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TelegramFault;
import ai.spacebot.testkit.TelegramPeer;
import ai.spacebot.testkit.TelegramPeer.BotMessage;
import ai.spacebot.testkit.TelegramPeer.User;
import ai.spacebot.testkit.TelegramPeer.UserMessage;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real application with its Telegram adapter (TelegramBots 10.2 over HTTP) against {@link TelegramPeer}: the
 * Bot API emulator behind a shim with Telegram's long polling, validation and faults. Each test talks in chats of
 * its own, so they share one app and one peer.
 */
class TelegramAdapterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long GATED_GROUP = -1001001L;
  private static final long FORUM = -1001002L;
  private static final String YAML = """
      delivery:
        max_attempts: 3
        initial_backoff_ms: 200
        max_backoff_ms: 1000
      messaging:
        telegram:
          poll_timeout_seconds: 5
      bindings:
        - platform: telegram
          chat_id: "-1001001"
          agent_id: main
          require_mention: true
          dm_allowed: false
        - platform: telegram
          chat_id: "*"
          agent_id: main
          response_mode: active
      """;

  private static ScriptedModelServer model;
  private static TelegramPeer peer;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(TelegramAdapterIT::answer);
    peer = TelegramPeer.start();
    app = TestApp.start(env(peer, peer.token()), Files.createTempDirectory("spacebot-telegram"), YAML, null);
    awaitAdapter(app, "connected");
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (peer != null) {
      peer.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private static Map<String, String> env(TelegramPeer on, String token) {
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("TELEGRAM_BOT_TOKEN", token);
    env.put("TELEGRAM_API_URL", on.apiUrl());
    return env;
  }

  /** The scripted model: markers in the person's words choose the answer; otherwise it echoes in Markdown. */
  private static ModelStep answer(RecordedRequest r) {
    String text = String.valueOf(r.lastUserText());
    if (text.contains("LONG")) {
      return reply(longReply());
    }
    if (text.contains("BUTTONS")) {
      return ModelStep.toolCall("reply", new JsonObject().put("content", "Deploy now?")
          .put("buttons", new JsonArray().add(new JsonObject().put("id", "deploy-yes").put("label", "Yes"))
              .add(new JsonObject().put("id", "deploy-no").put("label", "No"))
              .add(new JsonObject().put("label", "Docs").put("url", "https://example.org/docs"))).encode());
    }
    if (text.contains("REACT")) {
      return ModelStep.toolCalls(new ModelStep.ToolCall("react", "{\"emoji\":\"👍\"}"),
          new ModelStep.ToolCall("reply", "{\"content\":\"done\"}"));
    }
    ModelStep step = reply("**echo**: " + text.replaceAll("^\\[[^\\]]*\\] ", "").lines().findFirst().orElse(""));
    return text.contains("SLOW") ? step.delayed(Duration.ofMillis(3000)) : step;
  }

  private static ModelStep reply(String content) {
    return ModelStep.toolCall("reply", new JsonObject().put("content", content).encode());
  }

  @Test
  void aPrivateMessageIsAnsweredInTelegramHtml() {
    peer.sendUserMessage(UserMessage.direct(new User(2001, "Ada", "ada"), "hello there"));

    List<BotMessage> replies = awaitBotMessages(2001, 1);
    assertThat(replies.get(0).text()).isEqualTo("<b>echo</b>: hello there");
    assertThat(replies.get(0).parseMode()).isEqualToIgnoringCase("HTML");
    // a private chat is a conversation of two: no reply quote
    assertThat(replies.get(0).replyToMessageId()).isNull();
  }

  @Test
  void aGroupMessageWithoutMentionIsKeptAndAMentionIsAnsweredAsAReply() {
    User bo = new User(2002, "Bo", null);
    peer.sendUserMessage(UserMessage.supergroup(GATED_GROUP, "Gated", bo, "just chatting among ourselves"));
    Await.until(() -> "observed".equals(status("telegram:" + GATED_GROUP, "just chatting among ourselves")), WAIT,
        "the un-mentioned message kept, not answered");

    int mention = peer.sendUserMessage(UserMessage.supergroup(GATED_GROUP, "Gated", bo,
        "@" + peer.botUsername() + " what do you think")).messageId();
    List<BotMessage> replies = awaitBotMessages(GATED_GROUP, 1);
    assertThat(replies.get(0).text()).contains("what do you think");
    assertThat(replies.get(0).replyToMessageId()).isEqualTo(mention);
    quiet();
    assertThat(peer.botMessages(GATED_GROUP)).hasSize(1);
  }

  @Test
  void aDuplicateUpdateMakesOneTurn() {
    int before = model.requestCount();
    int updateId = peer.sendUserMessage(UserMessage.direct(User.of(2003, "Cy"), "only once please")).updateId();
    awaitBotMessages(2003, 1);
    peer.replay(updateId);
    quiet();
    assertThat(peer.botMessages(2003)).hasSize(1);
    assertThat(model.requestCount() - before).isEqualTo(1);
  }

  @Test
  void aRateLimitedSendIsDeliveredOnceAfterTheWaitTelegramNamed() {
    peer.failNext("sendMessage", 1, TelegramFault.tooManyRequests(2));
    long sent = System.currentTimeMillis();
    peer.sendUserMessage(UserMessage.direct(User.of(2004, "Di"), "rate limited"));

    awaitBotMessages(2004, 1);
    assertThat(System.currentTimeMillis() - sent).isGreaterThanOrEqualTo(2000);
    quiet();
    assertThat(peer.botMessages(2004)).hasSize(1);
    assertThat(peer.calls("sendMessage").stream().filter(c -> "2004".equals(String.valueOf(c.params().getValue("chat_id"))))
        .count()).isEqualTo(2);
  }

  @Test
  void aBlockedChatFailsPermanentlyIsListedAndCanBeRetried() {
    peer.sendUserMessage(UserMessage.direct(User.of(2005, "Ed"), "hello"));
    awaitBotMessages(2005, 1);
    peer.setBlocked(2005, true);
    peer.sendUserMessage(UserMessage.direct(User.of(2005, "Ed"), "you are blocked"));
    Await.until(() -> failedDelivery("telegram:2005") != null, WAIT, "a failed delivery listed");
    JsonObject failed = failedDelivery("telegram:2005");
    assertThat(failed.getInteger("attempts")).isEqualTo(1);
    assertThat(failed.encode()).contains("blocked by the user");

    peer.setBlocked(2005, false);
    assertThat(app.http.post("/api/deliveries/" + failed.getString("id") + "/retry", "").status()).isEqualTo(200);
    assertThat(awaitBotMessages(2005, 2).get(1).text()).contains("you are blocked");
  }

  @Test
  void aLongReplyIsSplitAt4096WithTheCodeBlockIntactInOrder() {
    peer.sendUserMessage(UserMessage.direct(User.of(2006, "Fa"), "LONG please"));
    Await.until(() -> peer.botMessages(2006).stream().anyMatch(m -> m.text().contains("The end.")), WAIT, "every part");
    quiet();
    List<BotMessage> parts = peer.botMessages(2006);
    assertThat(parts.size()).isGreaterThanOrEqualTo(2);
    String all = "";
    for (BotMessage part : parts) {
      assertThat(part.text().length()).isLessThanOrEqualTo(4096);
      assertThat(count(part.text(), "<pre>")).as("balanced <pre> in %s", part.text())
          .isEqualTo(count(part.text(), "</pre>"));
      all += part.text() + "\n";
    }
    int at = -1;
    for (int i = 0; i < 300; i++) {
      int next = all.indexOf("line " + i + " of the code", at + 1);
      assertThat(next).as("code line %d, once and in order", i).isGreaterThan(at);
      at = next;
    }
  }

  @Test
  void typingIsSentInTheTopicWhileASlowModelAnswersAndTheReplyStaysInTheTopic() {
    User ju = new User(2007, "Ju", null);
    int topic = peer.createForumTopic(FORUM, "Forum", "Builds", ju);
    peer.sendUserMessage(UserMessage.topic(FORUM, topic, ju, "SLOW answer please"));

    BotMessage reply = awaitBotMessages(FORUM, 1).get(0);
    assertThat(reply.messageThreadId()).isEqualTo(topic);
    var typing = peer.chatActions(FORUM);
    assertThat(typing).isNotEmpty();
    assertThat(typing.get(0).action()).isEqualTo("typing");
    assertThat(typing.get(0).messageThreadId()).isEqualTo(topic);
    assertThat(status("telegram:" + FORUM + ":" + topic, "SLOW answer please")).isNotNull();
  }

  @Test
  void aButtonClickIsAnsweredAtOnceAndComesBackAsAMessage() {
    User ka = User.of(2008, "Ka");
    peer.sendUserMessage(UserMessage.direct(ka, "BUTTONS please"));
    BotMessage question = awaitBotMessages(2008, 1).get(0);
    JsonArray rows = question.replyMarkup().getJsonArray("inline_keyboard");
    assertThat(rows.encode()).contains("deploy-yes").contains("https://example.org/docs");

    peer.clickButton(2008, question.messageId(), "deploy-yes", ka);
    List<BotMessage> replies = awaitBotMessages(2008, 2);
    assertThat(replies.get(1).text()).contains("[clicked button \"deploy-yes\" on message " + question.messageId() + "]");
    assertThat(peer.callbackAnswers()).isNotEmpty();
  }

  @Test
  void aReactionLandsOnTheTriggeringMessage() {
    int id = peer.sendUserMessage(UserMessage.direct(User.of(2009, "Lu"), "REACT to this")).messageId();
    awaitBotMessages(2009, 1);
    Await.until(() -> peer.reactions().stream().anyMatch(r -> r.chatId() == 2009), WAIT, "a reaction");
    var reaction = peer.reactions().stream().filter(r -> r.chatId() == 2009).findFirst().orElseThrow();
    assertThat(reaction.messageId()).isEqualTo(id);
    assertThat(reaction.emoji()).containsExactly("👍");
  }

  @Test
  void aDocumentIsSavedInTheWorkspaceAndShownToTheModel() throws Exception {
    byte[] notes = "the launch is on friday".getBytes(StandardCharsets.UTF_8);
    peer.sendUserMessage(UserMessage.direct(User.of(2010, "Mo"), null)
        .with("document", peer.userDocument(notes, "notes.txt", "text/plain")).with("caption", "read this"));
    awaitBotMessages(2010, 1);

    Path saved = app.dataDir.resolve("agents/main/workspace/attachments/telegram/2010");
    try (var files = Files.list(saved)) {
      Path file = files.findFirst().orElseThrow();
      assertThat(file.getFileName().toString()).endsWith("-notes.txt");
      assertThat(Files.readAllBytes(file)).isEqualTo(notes);
    }
    String seen = model.requests().stream().map(RecordedRequest::lastUserText).filter(t -> t != null && t.contains("read this"))
        .findFirst().orElseThrow();
    assertThat(seen).contains("notes.txt").contains("the launch is on friday");
  }

  @Test
  void anEditUpdatesTheTranscriptWithoutASecondTurn() {
    int id = peer.sendUserMessage(UserMessage.direct(User.of(2011, "Ny"), "first words")).messageId();
    awaitBotMessages(2011, 1);
    int before = model.requestCount();
    peer.editUserMessage(2011, id, "second thoughts");
    Await.until(() -> status("telegram:2011", "second thoughts") != null, WAIT, "the edit in the transcript");
    quiet();
    assertThat(model.requestCount()).isEqualTo(before);
    assertThat(peer.botMessages(2011)).hasSize(1);
  }

  @Test
  void aDroppedLongPollReconnectsAndTheNextMessageIsAnswered() {
    int signIns = peer.calls("getMe").size();
    peer.dropNextGetUpdates();
    // the held poll answers this message; the poll after it is the one cut
    peer.sendUserMessage(UserMessage.direct(User.of(2012, "Ob"), "before the drop"));
    awaitBotMessages(2012, 1);
    Await.until(() -> peer.droppedPolls() >= 1 && peer.calls("getMe").size() > signIns, WAIT, "a reconnect");
    awaitAdapter(app, "connected");

    peer.sendUserMessage(UserMessage.direct(User.of(2012, "Ob"), "after the drop"));
    assertThat(awaitBotMessages(2012, 2).get(1).text()).contains("after the drop");
    assertThat(adapter(app).getInteger("reconnects")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theOffsetSurvivesARestartAndARedeliveryAfterItMakesNoSecondTurn() throws Exception {
    int updateId = peer.sendUserMessage(UserMessage.direct(User.of(2013, "Pi"), "before the restart")).updateId();
    awaitBotMessages(2013, 1);
    quiet();
    int polls = peer.calls("getUpdates").size();
    int before = model.requestCount();

    app = app.restart();
    awaitAdapter(app, "connected");
    var after = peer.calls("getUpdates").subList(polls, peer.calls("getUpdates").size());
    assertThat(after).isNotEmpty();
    assertThat(after.get(0).params().getInteger("offset")).as("the first poll after the restart resumes from the "
        + "saved offset").isGreaterThan(updateId);

    peer.replay(updateId);
    peer.sendUserMessage(UserMessage.direct(User.of(2013, "Pi"), "after the restart"));
    List<BotMessage> replies = awaitBotMessages(2013, 2);
    assertThat(replies.get(1).text()).contains("after the restart");
    quiet();
    assertThat(peer.botMessages(2013)).hasSize(2);
    assertThat(model.requestCount() - before).isEqualTo(1);
  }

  @Test
  void aRefusedTokenFailsTheAdapterClearlyAndTheWebChatStillAnswers() throws Exception {
    try (TestApp refused = TestApp.start(env(peer, "999999:not-the-right-token"),
        Files.createTempDirectory("spacebot-telegram-token"), YAML, null)) {
      JsonObject status = awaitAdapter(refused, "failed");
      assertThat(status.getString("last_error")).contains("TELEGRAM_BOT_TOKEN").contains("@BotFather")
          .contains("Unauthorized");
      String session = "web-" + UUID.randomUUID();
      assertThat(refused.http.send("main", session, "Web", "are you there").status()).isEqualTo(200);
      Await.until(() -> refused.http.get("/api/portal/history?agent_id=main&session_id=" + session).json()
          .getJsonArray("messages").size() == 2, WAIT, "the web chat answered");
    }
  }

  @Test
  void webhookModeTakesUpdatesWithTheSecretAndRefusesOthers() throws Exception {
    try (TelegramPeer hookPeer = TelegramPeer.start()) {
      int port = TestApp.freePort();
      Map<String, String> env = env(hookPeer, hookPeer.token());
      env.put("SPACEBOT_PORT", String.valueOf(port));
      String yaml = "messaging:\n  telegram:\n    mode: webhook\n    webhook_url: http://127.0.0.1:" + port
          + "/telegram/hook\n    webhook_secret: s3cret_hook\n";
      try (TestApp hooked = TestApp.start(env, Files.createTempDirectory("spacebot-telegram-hook"), yaml, null)) {
        awaitAdapter(hooked, "connected");
        assertThat(hookPeer.calls("setWebhook").get(0).params().getString("secret_token")).isEqualTo("s3cret_hook");

        hookPeer.sendUserMessage(UserMessage.direct(User.of(3001, "Qu"), "through the hook"));
        Await.until(() -> hookPeer.botMessages(3001).size() == 1, WAIT, "the webhook's update answered");
        assertThat(hookPeer.botMessages(3001).get(0).text()).contains("through the hook");

        String update = "{\"update_id\":5,\"message\":{\"message_id\":1,\"chat\":{\"id\":3002,\"type\":\"private\"},"
            + "\"from\":{\"id\":3002,\"is_bot\":false,\"first_name\":\"Eve\"},\"date\":1767225600,\"text\":\"forged\"}}";
        Http.Response wrong = hooked.http.post("/telegram/hook", update,
            Map.of("X-Telegram-Bot-Api-Secret-Token", "guess", "Content-Type", "application/json"));
        assertThat(wrong.status()).isEqualTo(401);
        Http.Response none = hooked.http.post("/telegram/hook", update, Map.of("Content-Type", "application/json"));
        assertThat(none.status()).isEqualTo(401);
        Http.Response garbage = hooked.http.post("/telegram/hook", "{\"hello\":1}",
            Map.of("X-Telegram-Bot-Api-Secret-Token", "s3cret_hook", "Content-Type", "application/json"));
        assertThat(garbage.status()).isEqualTo(400);
        quiet();
        assertThat(hookPeer.botMessages(3002)).isEmpty();
      }
    }
  }

  // ---- helpers

  private static List<BotMessage> awaitBotMessages(long chatId, int n) {
    Await.until(() -> peer.botMessages(chatId).size() >= n, WAIT, n + " bot message(s) in chat " + chatId);
    return peer.botMessages(chatId);
  }

  /** Long enough for a duplicate reply or a late retry to show up if there were one. */
  private static void quiet() {
    AppProbe.quiet(model, WAIT);
  }

  private static JsonObject adapter(TestApp on) {
    return AppProbe.adapter(on.http, "telegram");
  }

  private static JsonObject awaitAdapter(TestApp on, String state) {
    return AppProbe.awaitAdapter(on.http, "telegram", state, WAIT);
  }

  private static String status(String conversation, String text) {
    return AppProbe.status(app, conversation, text);
  }

  private static JsonObject failedDelivery(String conversation) {
    return AppProbe.failedDelivery(app.http, conversation);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  private static String longReply() {
    StringBuilder out = new StringBuilder("Here is **the whole** script:\n\n```python\n");
    for (int i = 0; i < 300; i++) {
      out.append("print(\"line ").append(i).append(" of the code\")  # <padding> & more padding\n");
    }
    return out.append("```\n\nThe end.").toString();
  }
}
