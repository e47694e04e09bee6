package ai.spacebot.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.testkit.TelegramPeer.User;
import ai.spacebot.testkit.TelegramPeer.UserMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.longpolling.util.DefaultGetUpdatesGenerator;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.reactions.SetMessageReaction;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.reactions.ReactionTypeEmoji;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/** Plain TelegramBots 10.2.0 (long polling application + OkHttp client) against {@link TelegramPeer}. */
class TelegramPeerIT {
  private static final Duration WITHIN = Duration.ofSeconds(15);

  private TelegramPeer peer;
  private TelegramUrl url;
  private OkHttpTelegramClient client;
  private final List<Bot> bots = new ArrayList<>();

  /** One bot process: a long-polling application with its own executor, feeding a queue. */
  private final class Bot implements AutoCloseable {
    final BlockingQueue<Update> received = new LinkedBlockingQueue<>();
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "test-bot-poller");
      t.setDaemon(true);
      return t;
    });
    final OkHttpClient http = new OkHttpClient.Builder().readTimeout(100, TimeUnit.SECONDS).build();
    final TelegramBotsLongPollingApplication app =
        new TelegramBotsLongPollingApplication(ObjectMapper::new, () -> http, () -> executor);

    Bot(Consumer<Update> onEach) throws Exception {
      app.registerBot(peer.token(), () -> url, new DefaultGetUpdatesGenerator(), updates -> updates.forEach(u -> {
        received.add(u);
        onEach.accept(u);
      }));
    }

    Update next() throws InterruptedException {
      Update u = received.poll(WITHIN.toSeconds(), TimeUnit.SECONDS);
      assertThat(u).as("an update within " + WITHIN).isNotNull();
      return u;
    }

    @Override
    public void close() throws Exception {
      app.close();
      executor.shutdownNow();
      http.dispatcher().executorService().shutdownNow();
      http.connectionPool().evictAll();
    }
  }

  @BeforeEach
  void start() throws Exception {
    peer = TelegramPeer.start();
    url = new TelegramUrl("http", "127.0.0.1", peer.port(), false);
    client = new OkHttpTelegramClient(peer.token(), url);
  }

  @AfterEach
  void stop() throws Exception {
    for (Bot bot : bots) {
      bot.close();
    }
    peer.close();
  }

  private Bot bot() throws Exception {
    return bot(u -> {});
  }

  private Bot bot(Consumer<Update> onEach) throws Exception {
    Bot bot = new Bot(onEach);
    bots.add(bot);
    return bot;
  }

  @Test
  void aPrivateMessageReachesTheBotAndItsReplyIsRecorded() throws Exception {
    assertThat(client.execute(new GetMe())).satisfies(me -> {
      assertThat(me.getIsBot()).isTrue();
      assertThat(me.getUserName()).isEqualTo(TelegramPeer.DEFAULT_USERNAME);
    });
    Bot bot = bot();
    peer.sendUserMessage(UserMessage.direct(new User(42, "Ada", "ada"), "hello"));

    Update update = bot.next();
    assertThat(update.getMessage().getText()).isEqualTo("hello");
    assertThat(update.getMessage().getChat().isUserChat()).isTrue();
    assertThat(update.getMessage().getFrom().getUserName()).isEqualTo("ada");

    Message sent = client.execute(SendMessage.builder().chatId(42L).text("echo: hello")
        .replyToMessageId(update.getMessage().getMessageId()).build());
    assertThat(sent.getChatId()).isEqualTo(42L);
    assertThat(sent.getFrom().getIsBot()).isTrue();
    assertThat((long) sent.getDate()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
    assertThat(sent.getReplyToMessage().getMessageId()).isEqualTo(update.getMessage().getMessageId());
    assertThat(peer.botMessages(42)).singleElement().satisfies(m -> {
      assertThat(m.text()).isEqualTo("echo: hello");
      assertThat(m.replyToMessageId()).isEqualTo(update.getMessage().getMessageId());
    });
    assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(777L).text("hi").build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
          assertThat(e.getErrorCode()).isEqualTo(400);
          assertThat(e.getApiResponse()).isEqualTo("Bad Request: chat not found");
        });
  }

  @Test
  void longPollingHoldsTheRequestInsteadOfSpinning() throws Exception {
    Bot bot = bot();
    Await.until(() -> !peer.calls("getUpdates").isEmpty(), WITHIN, "the first getUpdates");
    int before = peer.calls("getUpdates").size();
    // An idle window is the measurement: a non-holding server is called hundreds of times in it.
    Thread.sleep(3000);
    int during = peer.calls("getUpdates").size() - before;
    assertThat(during).as("getUpdates calls over 3 s idle").isLessThanOrEqualTo(3);

    long sentAt = System.nanoTime();
    peer.sendUserMessage(43, "wake up");
    assertThat(bot.next().getMessage().getText()).isEqualTo("wake up");
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).as("the held poll answers at once").isLessThan(Duration.ofSeconds(2));
    assertThat(peer.calls("getUpdates").get(0).params().getInteger("timeout")).isEqualTo(50);
  }

  @Test
  void anUnconfirmedUpdateIsDeliveredAgainToTheNextBotInstance() throws Exception {
    CountDownLatch crashed = new CountDownLatch(1);
    // The first instance "dies" while handling the update: it never polls again, so it never confirms it.
    Bot first = bot(u -> {
      try {
        crashed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    int updateId = peer.sendUserMessage(44, "process me once").updateId();
    assertThat(first.next().getUpdateId()).isEqualTo(updateId);
    first.app.close();

    Bot second = bot();
    Update again = second.next();
    assertThat(again.getUpdateId()).isEqualTo(updateId);
    assertThat(again.getMessage().getText()).isEqualTo("process me once");
    crashed.countDown();

    // The second instance confirms it with its next poll; then a replay is a duplicate under a new id.
    Await.until(() -> peer.pendingUpdates() == 0, WITHIN, "the redelivered update confirmed");
    int duplicate = peer.replay(updateId);
    Update dup = second.next();
    assertThat(dup.getUpdateId()).isEqualTo(duplicate).isGreaterThan(updateId);
    assertThat(dup.getMessage().getMessageId()).isEqualTo(again.getMessage().getMessageId());
  }

  @Test
  void faultsComeBackAsTelegramErrors() throws Exception {
    peer.sendUserMessage(45, "hi");
    peer.failNext("sendMessage", 1, TelegramFault.tooManyRequests(7));
    assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(45L).text("one").build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
          assertThat(e.getErrorCode()).isEqualTo(429);
          assertThat(e.getParameters().getRetryAfter()).isEqualTo(7);
          assertThat(e.getApiResponse()).isEqualTo("Too Many Requests: retry after 7");
        });
    peer.failNext("SENDMESSAGE", 1, TelegramFault.blockedByUser());
    assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(45L).text("two").build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
          assertThat(e.getErrorCode()).isEqualTo(403);
          assertThat(e.getApiResponse()).isEqualTo("Forbidden: bot was blocked by the user");
        });
    client.execute(SendMessage.builder().chatId(45L).text("three").build());
    assertThat(peer.botMessages(45)).extracting(TelegramPeer.BotMessage::text).containsExactly("three");
    assertThat(peer.calls("sendMessage")).hasSize(3);

    TelegramApiRequestException unauthorized = org.junit.jupiter.api.Assertions.assertThrows(TelegramApiRequestException.class,
        () -> new OkHttpTelegramClient("999:not-the-token", url).execute(new GetMe()));
    assertThat(unauthorized.getErrorCode()).isEqualTo(401);
    assertThat(unauthorized.getApiResponse()).isEqualTo("Unauthorized");
  }

  @Test
  void htmlAndLengthAreValidatedLikeTelegram() throws Exception {
    peer.sendUserMessage(46, "hi");
    assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(46L).text("<b>bold").parseMode("HTML").build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
          assertThat(e.getErrorCode()).isEqualTo(400);
          assertThat(e.getApiResponse()).isEqualTo(
              "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"");
        });
    assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(46L).text("<p>para</p>").parseMode("HTML").build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> assertThat(e.getApiResponse())
            .isEqualTo("Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0"));
    assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(46L).text("a&nbsp;b").parseMode("HTML").build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> assertThat(e.getApiResponse())
            .startsWith("Bad Request: can't parse entities: Unsupported HTML entity"));

    Message ok = client.execute(SendMessage.builder().chatId(46L).parseMode("HTML")
        .text("<b>1 &lt; 2</b> &amp; <a href=\"https://example.org\">link</a> <span class=\"tg-spoiler\">s</span>"
            + " <pre><code class=\"language-java\">x</code></pre> &#128512;").build());
    assertThat(ok.getText()).isEqualTo("1 < 2 & link s x \uD83D\uDE00");

    String limit = "x".repeat(4096);
    client.execute(SendMessage.builder().chatId(46L).text(limit).build());
    assertThatThrownBy(() -> client.execute(SendMessage.builder().chatId(46L).text(limit + "x").build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
          assertThat(e.getErrorCode()).isEqualTo(400);
          assertThat(e.getApiResponse()).isEqualTo("Bad Request: message is too long");
        });
    // The limit counts what the user sees, not the markup.
    client.execute(SendMessage.builder().chatId(46L).parseMode("HTML").text("<b>" + limit + "</b>").build());
  }

  @Test
  void chatActionsAndReactionsAreRecorded() throws Exception {
    int messageId = peer.sendUserMessage(47, "react to me").messageId();
    assertThat(client.execute(SendChatAction.builder().chatId(47L).action("typing").build())).isTrue();
    assertThat(client.execute(SetMessageReaction.builder().chatId(47L).messageId(messageId)
        .reactionTypes(List.of(new ReactionTypeEmoji("👍"))).build())).isTrue();

    assertThat(peer.chatActions(47)).singleElement().satisfies(a -> assertThat(a.action()).isEqualTo("typing"));
    assertThat(peer.reactions()).singleElement().satisfies(r -> {
      assertThat(r.messageId()).isEqualTo(messageId);
      assertThat(r.emoji()).containsExactly("👍");
    });
    assertThatThrownBy(() -> client.execute(SetMessageReaction.builder().chatId(47L).messageId(messageId)
        .reactionTypes(List.of(new ReactionTypeEmoji("✅"))).build()))
        .isInstanceOfSatisfying(TelegramApiRequestException.class,
            e -> assertThat(e.getApiResponse()).isEqualTo("Bad Request: REACTION_INVALID"));
  }

  @Test
  void webhookModePostsUpdatesWithTheSecretAndRetries() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<JsonObject> posts = new CopyOnWriteArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        posts.add(new JsonObject().put("secret", req.getHeader("X-Telegram-Bot-Api-Secret-Token"))
            .put("update", body.toJsonObject()));
        // The first delivery fails: Telegram keeps the update and tries again.
        req.response().setStatusCode(answered.getAndIncrement() == 0 ? 500 : 200).end();
      })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      String hook = "http://127.0.0.1:" + server.actualPort() + "/telegram/hook";
      assertThat(client.execute(SetWebhook.builder().url(hook).secretToken("s3cret-token").build())).isTrue();

      int updateId = peer.sendUserMessage(48, "via webhook").updateId();
      Await.until(() -> posts.size() >= 2, WITHIN, "the update POSTed twice (500, then 200)");
      assertThat(posts).allSatisfy(p -> {
        assertThat(p.getString("secret")).isEqualTo("s3cret-token");
        assertThat(p.getJsonObject("update").getInteger("update_id")).isEqualTo(updateId);
        assertThat(p.getJsonObject("update").getJsonObject("message").getString("text")).isEqualTo("via webhook");
      });
      Await.until(() -> peer.pendingUpdates() == 0, WITHIN, "the update confirmed by the 200");

      assertThatThrownBy(() -> client.execute(GetUpdates.builder().build()))
          .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(409);
            assertThat(e.getApiResponse()).startsWith("Conflict: can't use getUpdates method while webhook is active");
          });
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDroppedLongPollAndARefusedConnectionAreSurvived() throws Exception {
    Bot bot = bot();
    Await.until(() -> !peer.calls("getUpdates").isEmpty(), WITHIN, "the first getUpdates");
    peer.dropNextGetUpdates();
    peer.sendUserMessage(49, "before the drop");
    assertThat(bot.next().getMessage().getText()).isEqualTo("before the drop");
    Await.until(() -> peer.droppedPolls() == 1, WITHIN, "the next long poll cut");
    peer.sendUserMessage(49, "after the drop");
    assertThat(bot.next().getMessage().getText()).isEqualTo("after the drop");

    peer.stopServing();
    peer.sendUserMessage(49, "while down");
    peer.resumeServing();
    assertThat(bot.next().getMessage().getText()).isEqualTo("while down");
    assertThat(bot.received).isEmpty();
  }

  @Test
  void groupsTopicsButtonsEditsAndFiles() throws Exception {
    Bot bot = bot();
    User ada = new User(50, "Ada", "ada");
    peer.sendUserMessage(UserMessage.supergroup(-1001234, "Team", ada, "hey @" + peer.botUsername() + " /help"));
    Message group = bot.next().getMessage();
    assertThat(group.getChat().isSuperGroupChat()).isTrue();
    assertThat(group.getEntities()).extracting(e -> e.getType()).containsExactly("mention", "bot_command");

    int topic = peer.createForumTopic(-1005678, "Forum", "Ideas", ada);
    peer.sendUserMessage(UserMessage.topic(-1005678, topic, ada, "in a topic"));
    Message inTopic = bot.next().getMessage();
    assertThat(inTopic.getMessageThreadId()).isEqualTo(topic);
    assertThat(inTopic.getIsTopicMessage()).isTrue();
    Message reply = client.execute(SendMessage.builder().chatId(-1005678L).messageThreadId(topic).text("answer")
        .replyMarkup(InlineKeyboardMarkup.builder().keyboardRow(new InlineKeyboardRow(
            InlineKeyboardButton.builder().text("Yes").callbackData("yes").build())).build()).build());
    assertThat(peer.botMessages(-1005678)).singleElement().satisfies(m -> {
      assertThat(m.messageThreadId()).isEqualTo(topic);
      assertThat(m.replyMarkup().encode()).contains("\"callback_data\":\"yes\"");
    });

    peer.clickButton(-1005678, reply.getMessageId(), "yes", ada);
    Update click = bot.next();
    assertThat(click.getCallbackQuery().getData()).isEqualTo("yes");
    assertThat(click.getCallbackQuery().getFrom().getId()).isEqualTo(50L);
    String queryId = click.getCallbackQuery().getId();
    assertThat(client.execute(AnswerCallbackQuery.builder().callbackQueryId(queryId).build())).isTrue();
    assertThatThrownBy(() -> client.execute(AnswerCallbackQuery.builder().callbackQueryId(queryId).build()))
        .isInstanceOf(TelegramApiRequestException.class);

    peer.editUserMessage(-1005678, inTopic.getMessageId(), "in a topic (edited)");
    Update edit = bot.next();
    assertThat(edit.getEditedMessage().getText()).isEqualTo("in a topic (edited)");
    assertThat(edit.getEditedMessage().getMessageId()).isEqualTo(inTopic.getMessageId());

    byte[] content = "report body".getBytes(StandardCharsets.UTF_8);
    Message doc = client.execute(SendDocument.builder().chatId(-1001234L).caption("the <b>report</b>").parseMode("HTML")
        .document(new InputFile(new ByteArrayInputStream(content), "report.txt")).build());
    assertThat(doc.getCaption()).isEqualTo("the report");
    var file = client.execute(GetFile.builder().fileId(doc.getDocument().getFileId()).build());
    try (Response res = new OkHttpClient().newCall(new Request.Builder()
        .url(peer.apiUrl() + "/file/bot" + peer.token() + "/" + file.getFilePath()).build()).execute()) {
      assertThat(res.body().bytes()).isEqualTo(content);
    }
  }

  @Test
  void otherClientsWiresWorkToo() throws Exception {
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();
    String base = peer.apiUrl() + "/bot" + peer.token() + "/";
    try (Response me = http.newCall(new Request.Builder().url(base + "getme").build()).execute()) {
      assertThat(new JsonObject(me.body().string()).getJsonObject("result").getBoolean("is_bot")).isTrue();
    }
    User bob = User.of(60, "Bob");
    int first = peer.sendUserMessage(UserMessage.direct(bob, "one")).updateId();
    okhttp3.FormBody form = new okhttp3.FormBody.Builder().add("chat_id", "60").add("text", "form")
        .add("reply_markup", "{\"inline_keyboard\":[[{\"text\":\"A\",\"callback_data\":\"a\"}]]}").build();
    int buttonMessage;
    try (Response sent = http.newCall(new Request.Builder().url(base + "sendmessage").post(form).build()).execute()) {
      buttonMessage = new JsonObject(sent.body().string()).getJsonObject("result").getInteger("message_id");
    }
    okhttp3.MultipartBody photo = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
        .addFormDataPart("chat_id", "60").addFormDataPart("photo", "p.jpg",
            okhttp3.RequestBody.create(new byte[] {1, 2, 3}, okhttp3.MediaType.parse("image/jpeg"))).build();
    try (Response sent = http.newCall(new Request.Builder().url(base + "SENDPHOTO").post(photo).build()).execute()) {
      assertThat(sent.code()).isEqualTo(200);
    }
    assertThat(peer.botMessages(60)).extracting(TelegramPeer.BotMessage::kind).containsExactly("text", "photo");
    peer.clickButton(60, buttonMessage, "a", bob);

    // allowed_updates is kept between calls and drops what it excludes
    JsonObject only = getUpdates(http, base + "getUpdates?timeout=0&allowed_updates=%5B%22callback_query%22%5D");
    assertThat(only.getJsonArray("result")).singleElement()
        .satisfies(u -> assertThat(((JsonObject) u).containsKey("callback_query")).isTrue());
    assertThat(only.getJsonArray("result").getJsonObject(0).getInteger("update_id")).isGreaterThan(first);

    // a second poller terminates the first, as Telegram does (the offset confirms the callback, so it is held)
    int next = only.getJsonArray("result").getJsonObject(0).getInteger("update_id") + 1;
    okhttp3.Call held = http.newCall(new Request.Builder()
        .url(base + "getUpdates?timeout=20&allowed_updates=%5B%5D&offset=" + next).build());
    java.util.concurrent.CompletableFuture<Integer> heldStatus = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (Response r = held.execute()) {
        return r.code();
      } catch (java.io.IOException e) {
        return -1;
      }
    });
    Await.until(() -> peer.calls("getUpdates").size() == 2, WITHIN, "the held poll");
    getUpdates(http, base + "getUpdates?timeout=0");
    assertThat(heldStatus.get(10, TimeUnit.SECONDS)).isEqualTo(409);

    peer.setPrivacyMode(true);
    User eve = User.of(61, "Eve");
    assertThat(peer.sendUserMessage(UserMessage.group(-4001, "G", eve, "just chatting")).updateId()).isZero();
    assertThat(peer.sendUserMessage(UserMessage.group(-4001, "G", eve, "@" + peer.botUsername() + " hi")).updateId()).isPositive();
  }

  private static JsonObject getUpdates(OkHttpClient http, String url) throws java.io.IOException {
    try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
      return new JsonObject(r.body().string());
    }
  }
}
