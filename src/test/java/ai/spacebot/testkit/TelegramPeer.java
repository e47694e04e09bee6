package ai.spacebot.testkit;

import ai.spacebot.testkit.TelegramWorld.StoredFile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A local Telegram Bot API for tests: npm {@code telegram-test-api} behind a Vert.x shim that makes it behave like
 * the real thing for everything a bot uses. Point the bot's API base at {@link #apiUrl()} (TelegramBots:
 * {@code new TelegramUrl("http", "127.0.0.1", peer.port(), false)}); the bot token is {@link #token()}.
 *
 * <p><b>Emulated.</b> getMe, getUpdates (long polling, offset confirmation, allowed_updates, redelivery of what was
 * not confirmed, 409 when a second poller or a webhook is active), setWebhook / deleteWebhook / getWebhookInfo
 * (updates POSTed one at a time with {@code X-Telegram-Bot-Api-Secret-Token}, retried on non-2xx), sendMessage,
 * sendPhoto, sendDocument (multipart), sendPoll, editMessageText, editMessageReplyMarkup, deleteMessage,
 * sendChatAction, setMessageReaction, set/get/deleteMyCommands, getFile with downloads at
 * {@code /file/bot<token>/<file_path>}, answerCallbackQuery, getChat. Methods match in any case, over GET or POST
 * with query, JSON, form or multipart parameters. Anything else answers 404 "Not Found" (and says so on stderr).
 *
 * <p><b>Validated like Telegram</b> (same status and description): unknown token 401 "Unauthorized"; unknown chat
 * "Bad Request: chat not found"; text over 4096 (caption over 1024) UTF-16 units after parsing "Bad Request: message
 * is too long"; {@code parse_mode=HTML} with a tag outside Telegram's set, unbalanced tags or an entity other than
 * {@code &lt; &gt; &amp; &quot;} and numeric ones "Bad Request: can't parse entities: ..."; a reply to a missing
 * message, a missing forum topic, editing someone else's or an unchanged message, reactions outside Telegram's
 * emoji set, invalid commands, repeated callback answers. MarkdownV2 is accepted unchecked.
 *
 * <p><b>Fixed in telegram-test-api.</b> getMe gets {@code is_bot:true} and the peer's bot identity; millisecond
 * {@code date}s become seconds; its getUpdates (which ignores offset and timeout and never redelivers) is replaced by
 * the shim's queue, fed from the emulator. Answers are built from the peer's own chat model, so a message carries
 * its real chat (type, title, forum), per-chat message ids, {@code message_thread_id} / {@code is_topic_message},
 * and {@code reply_to_message} (a topic message replies to its topic's creation message, as in Telegram).
 *
 * <p><b>User side.</b> {@link #sendUserMessage} (private chats, groups, supergroups, forum topics; entities for
 * commands, mentions, URLs and hashtags are added as Telegram's servers add them), {@link #clickButton},
 * {@link #editUserMessage}, {@link #injectUpdate} for anything else, {@link #replay} for a duplicate delivery.
 * Messages and callbacks pass through the emulator; edits and injected updates go straight into the queue.
 *
 * <p><b>Records.</b> {@link #calls}, {@link #botMessages}, {@link #chatActions}, {@link #reactions},
 * {@link #callbackAnswers}, {@link #commands}.
 *
 * <p><b>Faults.</b> {@link #failNext} with a {@link TelegramFault} (429 with retry_after, 500, 502 HTML page, 403
 * blocked, any error), {@link #setBlocked} (every call to that chat 403 until unblocked), {@link #dropNextGetUpdates}
 * (the next long poll's connection is closed without an answer), {@link #stopServing} / {@link #resumeServing}
 * (connections refused meanwhile; the port stays the same), {@link #setPrivacyMode} (group messages only when they
 * address the bot).
 */
public final class TelegramPeer implements AutoCloseable {
  public static final String DEFAULT_TOKEN = "123456789:AAHtelegram-peer-test-token_0123456789";
  public static final String DEFAULT_USERNAME = "spacebot_test_bot";

  /** One request the bot made: the canonical method name (or {@code "file"} for a download), its parameters. */
  public record BotCall(String method, JsonObject params, Instant time) {}

  /**
   * What the bot sent to a chat, as it sent it: {@code text} is the raw text or caption (markup included) with its
   * {@code parseMode}; {@code kind} is text, photo, document or poll; {@code params} the last call's parameters.
   */
  public record BotMessage(long chatId, int messageId, String kind, String text, String parseMode,
                           JsonObject replyMarkup, Integer replyToMessageId, Integer messageThreadId,
                           boolean edited, boolean deleted, JsonObject params) {}

  public record ChatAction(long chatId, String action, Integer messageThreadId, Instant time) {}

  /** A setMessageReaction call; an empty list removes the bot's reaction. */
  public record Reaction(long chatId, int messageId, List<String> emoji, boolean big, Instant time) {}

  /** A Telegram user on the user side. */
  public record User(long id, String firstName, String username) {
    public static User of(long id, String firstName) {
      return new User(id, firstName, null);
    }

    JsonObject json() {
      JsonObject u = new JsonObject().put("id", id).put("is_bot", false).put("first_name", firstName);
      return username == null ? u : u.put("username", username);
    }
  }

  /** A message a user sends; build it with the static factories and the withers. */
  public record UserMessage(long chatId, String chatType, String chatTitle, User from, String text,
                            JsonArray entities, Integer replyToMessageId, Integer messageThreadId, JsonObject extra) {
    public static UserMessage direct(User from, String text) {
      return new UserMessage(from.id(), "private", null, from, text, null, null, null, new JsonObject());
    }

    public static UserMessage group(long chatId, String title, User from, String text) {
      return new UserMessage(chatId, "group", title, from, text, null, null, null, new JsonObject());
    }

    public static UserMessage supergroup(long chatId, String title, User from, String text) {
      return new UserMessage(chatId, "supergroup", title, from, text, null, null, null, new JsonObject());
    }

    /** A message in a forum topic made by {@link #createForumTopic}. */
    public static UserMessage topic(long chatId, int threadId, User from, String text) {
      return new UserMessage(chatId, "supergroup", null, from, text, null, null, threadId, new JsonObject());
    }

    public UserMessage replyTo(int messageId) {
      return new UserMessage(chatId, chatType, chatTitle, from, text, entities, messageId, messageThreadId, extra);
    }

    /** Entities as given instead of the detected ones. */
    public UserMessage withEntities(JsonArray given) {
      return new UserMessage(chatId, chatType, chatTitle, from, text, given, replyToMessageId, messageThreadId, extra);
    }

    /** Any other Message field, e.g. {@code photo} from {@link #userPhoto}, {@code document}, {@code caption}. */
    public UserMessage with(String field, Object value) {
      JsonObject more = extra.copy().put(field, value);
      return new UserMessage(chatId, chatType, chatTitle, from, text, entities, replyToMessageId, messageThreadId, more);
    }
  }

  /** A user-side event as queued: its update_id (0 when privacy mode kept it from the bot) and the payload. */
  public record Inbound(int updateId, JsonObject payload) {
    public int messageId() {
      return payload.getInteger("message_id");
    }
  }

  private final String token;
  private final TelegramWorld world;
  private final TelegramUpdates updates = new TelegramUpdates();
  private final TelegramFaults faults = new TelegramFaults();
  private final TelegramEmulator emulator;
  private final Vertx vertx;
  private final TelegramShim shim;
  private final ScheduledExecutorService pump;
  private final Map<String, UnaryOperator<JsonObject>> awaited = new HashMap<>();
  private final Map<String, Integer> assigned = new HashMap<>();
  private volatile boolean privacy;

  private TelegramPeer(String token, String username, TelegramEmulator emulator) throws IOException {
    this.token = token;
    long botId = Long.parseLong(token.substring(0, token.indexOf(':')));
    this.world = new TelegramWorld(new JsonObject().put("id", botId).put("is_bot", true)
        .put("first_name", "Spacebot Test").put("username", username));
    this.emulator = emulator;
    this.vertx = Vertx.vertx();
    this.shim = new TelegramShim(vertx, token, world, updates, faults, emulator.port(), () -> privacy);
    this.pump = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "telegram-peer-pump");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the emulator and the shim with {@link #DEFAULT_TOKEN} and {@link #DEFAULT_USERNAME}. */
  public static TelegramPeer start() throws IOException, InterruptedException {
    return start(DEFAULT_TOKEN, DEFAULT_USERNAME);
  }

  /** {@code token} is "digits:secret"; the digits are the bot's user id. */
  public static TelegramPeer start(String token, String botUsername) throws IOException, InterruptedException {
    if (!token.matches("\\d+:[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("a bot token is <digits>:<secret>, got " + token);
    }
    TelegramEmulator emulator = TelegramEmulator.start();
    TelegramPeer peer;
    try {
      peer = new TelegramPeer(token, botUsername, emulator);
      peer.shim.serve();
    } catch (RuntimeException | IOException e) {
      emulator.close();
      throw e;
    }
    // Catches what a test posts straight to the emulator's user routes; the peer's own posts are pulled at once.
    peer.pump.scheduleWithFixedDelay(peer::pullQuietly, 250, 250, TimeUnit.MILLISECONDS);
    return peer;
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + shim.port();
  }

  public int port() {
    return shim.port();
  }

  public String token() {
    return token;
  }

  public String botUsername() {
    return world.bot.getString("username");
  }

  public long botId() {
    return world.botId();
  }

  /** The emulator itself (its user routes: /sendMessage, /sendCallback, /getUpdatesHistory). */
  public String emulatorUrl() {
    return emulator.url();
  }

  // ---- user side

  /** A private message from user {@code chatId} (named "User {chatId}"). */
  public Inbound sendUserMessage(long chatId, String text) {
    return sendUserMessage(UserMessage.direct(User.of(chatId, "User " + chatId), text));
  }

  public Inbound sendUserMessage(UserMessage m) {
    JsonObject chat = chatFor(m);
    JsonObject message = new JsonObject().put("message_id", world.nextMessageId(m.chatId())).put("from", m.from().json())
        .put("chat", chat).put("date", Instant.now().getEpochSecond());
    if (m.text() != null) {
      message.put("text", m.text());
    }
    JsonArray entities = m.entities() != null ? m.entities()
        : TelegramUsers.entities(m.text() != null ? m.text() : m.extra().getString("caption"));
    if (!entities.isEmpty()) {
      message.put(m.text() != null ? "entities" : "caption_entities", entities);
    }
    message.mergeIn(m.extra());
    if (m.messageThreadId() != null) {
      JsonObject topic = world.topic(m.chatId(), m.messageThreadId()).orElseThrow(() -> new AssertionError(
          "no forum topic " + m.messageThreadId() + " in chat " + m.chatId() + ": make it with createForumTopic"));
      message.put("message_thread_id", m.messageThreadId()).put("is_topic_message", true).put("reply_to_message", topic);
    }
    if (m.replyToMessageId() != null) {
      JsonObject target = world.message(m.chatId(), m.replyToMessageId()).orElseThrow(() -> new AssertionError(
          "no message " + m.replyToMessageId() + " in chat " + m.chatId() + " to reply to"));
      target.remove("reply_to_message");
      message.put("reply_to_message", target);
    }
    world.putMessage(message);
    if (!delivered(message)) {
      return new Inbound(0, message);
    }
    int ourId = message.getInteger("message_id");
    int updateId = viaEmulator("/sendMessage", message.copy().put("botToken", token), "message", update -> {
      JsonObject got = update.getJsonObject("message");
      got.remove("botToken");
      got.remove("peer_ref");
      return new JsonObject().put("message", got.put("message_id", ourId));  // the emulator numbers globally
    });
    return new Inbound(updateId, message);
  }

  /** A forum supergroup's new topic (the chat becomes a forum); answers its message_thread_id. */
  public int createForumTopic(long chatId, String chatTitle, String topicName, User creator) {
    world.putChat(new JsonObject().put("id", chatId).put("type", "supergroup").put("title", chatTitle).put("is_forum", true));
    return world.createTopic(chatId, topicName, creator.json(), Instant.now().getEpochSecond()).getInteger("message_id");
  }

  /** An edit of a user's message: an {@code edited_message} update (the emulator has none, so it is injected). */
  public Inbound editUserMessage(long chatId, int messageId, String newText) {
    JsonObject message = world.message(chatId, messageId)
        .orElseThrow(() -> new AssertionError("no message " + messageId + " in chat " + chatId));
    if (message.getJsonObject("from").getLong("id") == botId()) {
      throw new AssertionError("message " + messageId + " is the bot's; a user can edit only their own");
    }
    message.put("text", newText).put("edit_date", Instant.now().getEpochSecond());
    JsonArray entities = TelegramUsers.entities(newText);
    if (entities.isEmpty()) {
      message.remove("entities");
    } else {
      message.put("entities", entities);
    }
    world.putMessage(message);
    if (!delivered(message)) {
      return new Inbound(0, message);
    }
    return new Inbound(updates.add(new JsonObject().put("edited_message", message)), message);
  }

  /** A user presses an inline button the bot sent ({@code data} must be one of its callback_data values). */
  public Inbound clickButton(long chatId, int messageId, String data, User from) {
    JsonObject message = world.message(chatId, messageId)
        .orElseThrow(() -> new AssertionError("no message " + messageId + " in chat " + chatId));
    JsonObject markup = message.getJsonObject("reply_markup");
    boolean hasButton = markup != null && markup.getJsonArray("inline_keyboard").stream()
        .flatMap(row -> ((JsonArray) row).stream())
        .anyMatch(b -> data.equals(((JsonObject) b).getString("callback_data")));
    if (!hasButton) {
      throw new AssertionError("message " + messageId + " in chat " + chatId + " has no button with callback_data " + data);
    }
    JsonObject body = new JsonObject().put("botToken", token).put("from", from.json()).put("message", message)
        .put("data", data);
    JsonObject[] query = new JsonObject[1];
    int updateId = viaEmulator("/sendCallback", body, "callback_query", update -> {
      JsonObject cq = update.getJsonObject("callback_query");
      cq.getJsonObject("message").remove("peer_ref");
      // Telegram's ids are opaque strings, unique per bot; the emulator counts from 1 per process
      cq.put("id", cq.getString("id") + "-" + UUID.randomUUID().toString().substring(0, 8))
          .put("chat_instance", String.valueOf(Objects.hash(chatId, botId())));
      world.addCallback(cq.getString("id"));
      query[0] = cq;
      return new JsonObject().put("callback_query", cq);
    });
    return new Inbound(updateId, query[0]);
  }

  /**
   * Queues a raw update (without update_id) for what neither the emulator nor the helpers make: channel posts,
   * my_chat_member, message_reaction… Messages in it become known, so the bot can reply or react to them.
   */
  public int injectUpdate(JsonObject update) {
    for (String field : List.of("message", "edited_message", "channel_post", "edited_channel_post")) {
      JsonObject m = update.getJsonObject(field);
      if (m != null && m.getJsonObject("chat") != null && m.getInteger("message_id") != null) {
        world.putChat(m.getJsonObject("chat"));
        world.putMessage(m);
      }
    }
    return updates.add(update);
  }

  /** Delivers an already queued (even confirmed) update again, under a new update_id: a duplicate delivery. */
  public int replay(int updateId) {
    return updates.replay(updateId);
  }

  /** A file as a user's photo: the {@code photo} value of a Message (getFile and download work on it). */
  public JsonArray userPhoto(byte[] bytes) {
    return photoSizes(world.addFile(bytes, "photo.jpg", "image/jpeg", "photos"));
  }

  /** A file as a user's document: the {@code document} value of a Message. */
  public JsonObject userDocument(byte[] bytes, String fileName, String mimeType) {
    StoredFile f = world.addFile(bytes, fileName, mimeType, "documents");
    return new JsonObject().put("file_id", f.fileId()).put("file_unique_id", f.uniqueId()).put("file_name", fileName)
        .put("mime_type", mimeType).put("file_size", bytes.length);
  }

  static JsonArray photoSizes(StoredFile f) {
    return new JsonArray().add(new JsonObject().put("file_id", f.fileId()).put("file_unique_id", f.uniqueId())
        .put("width", 800).put("height", 600).put("file_size", f.bytes().length));
  }

  // ---- records

  public List<BotCall> calls() {
    return world.calls();
  }

  /** Calls of {@code method}, in any case. */
  public List<BotCall> calls(String method) {
    return world.calls().stream().filter(c -> c.method().equalsIgnoreCase(method)).toList();
  }

  /** What the bot sent to {@code chatId}, in order (deleted ones flagged, edited ones as they are now). */
  public List<BotMessage> botMessages(long chatId) {
    return world.botMessages().stream().filter(m -> m.chatId() == chatId).toList();
  }

  public List<BotMessage> botMessages() {
    return world.botMessages();
  }

  public List<ChatAction> chatActions(long chatId) {
    return world.actions().stream().filter(a -> a.chatId() == chatId).toList();
  }

  public List<Reaction> reactions() {
    return world.reactions();
  }

  /** The answerCallbackQuery calls that were accepted, with their parameters. */
  public List<JsonObject> callbackAnswers() {
    return world.callbackAnswers();
  }

  /** setMyCommands for the default scope and language. */
  public JsonArray commands() {
    return world.commands("default|");
  }

  /** How many long polls {@link #dropNextGetUpdates} has cut. */
  public int droppedPolls() {
    return shim.droppedPolls();
  }

  /** Updates queued and not yet confirmed. */
  public int pendingUpdates() {
    return updates.pendingCount();
  }

  // ---- faults

  /** The next {@code count} calls of {@code method} (any case; "*" = any method but getUpdates) answer {@code fault}. */
  public void failNext(String method, int count, TelegramFault fault) {
    faults.failNext(method, count, fault);
  }

  public void dropNextGetUpdates() {
    faults.dropNextGetUpdates();
  }

  public void stopServing() {
    shim.stopServing();
  }

  public void resumeServing() {
    shim.serve();
  }

  /** While blocked, every call naming this (known) chat answers 403 "Forbidden: bot was blocked by the user". */
  public void setBlocked(long chatId, boolean blocked) {
    world.setBlocked(chatId, blocked);
  }

  /** Telegram's default for bots: in groups only commands, @mentions of the bot and replies to it reach it. */
  public void setPrivacyMode(boolean on) {
    privacy = on;
  }

  // ---- plumbing

  private JsonObject chatFor(UserMessage m) {
    JsonObject chat = new JsonObject().put("id", m.chatId()).put("type", m.chatType());
    if (m.chatType().equals("private")) {
      chat.put("first_name", m.from().firstName());
      if (m.from().username() != null) {
        chat.put("username", m.from().username());
      }
    } else if (m.chatTitle() != null) {
      chat.put("title", m.chatTitle());
    } else if (world.chat(m.chatId()).isEmpty()) {
      chat.put("title", "Chat " + m.chatId());
    }
    return world.putChat(chat);
  }

  private boolean delivered(JsonObject message) {
    String type = message.getJsonObject("chat").getString("type");
    return !privacy || type.equals("private") || TelegramUsers.addressesBot(message, botUsername(), botId());
  }

  /**
   * Posts a user event to the emulator, pulls it back through the emulator's getUpdates and queues it; a marker
   * in the message tells it from others. Runs on the pump thread, so pulls never interleave.
   */
  private int viaEmulator(String route, JsonObject body, String field, UnaryOperator<JsonObject> repair) {
    String ref = UUID.randomUUID().toString();
    (body.containsKey("message") && field.equals("callback_query") ? body.getJsonObject("message") : body).put("peer_ref", ref);
    try {
      return pump.submit(() -> {
        synchronized (awaited) {
          awaited.put(ref, repair);
        }
        emulator.post(route, body);
        pull();
        synchronized (awaited) {
          awaited.remove(ref);
          Integer id = assigned.remove(ref);
          if (id == null) {
            throw new IllegalStateException("telegram-test-api did not return the " + field + " posted to " + route);
          }
          return id;
        }
      }).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the user side of the Telegram peer failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("the user side of the Telegram peer failed: " + e, e);
    }
  }

  private void pull() throws IOException, InterruptedException {
    JsonArray got = emulator.post("/bot" + token + "/getUpdates", new JsonObject()).getJsonArray("result", new JsonArray());
    for (Object o : got) {
      JsonObject update = (JsonObject) o;
      update.remove("update_id");
      String ref = ref(update);
      UnaryOperator<JsonObject> repair;
      synchronized (awaited) {
        repair = ref == null ? null : awaited.get(ref);
      }
      if (repair == null) {
        strip(update);
        updates.add(update);
      } else {
        int id = updates.add(repair.apply(update));
        synchronized (awaited) {
          assigned.put(ref, id);
        }
      }
    }
  }

  private void pullQuietly() {
    try {
      pull();
    } catch (Exception e) {
      // the emulator is going away, or busy: the next round tries again
    }
  }

  private static String ref(JsonObject update) {
    JsonObject m = update.getJsonObject("message");
    if (m == null && update.getJsonObject("callback_query") != null) {
      m = update.getJsonObject("callback_query").getJsonObject("message");
    }
    return m == null ? null : m.getString("peer_ref");
  }

  /** An update someone posted straight to the emulator: its fields as Telegram would have them. */
  private static void strip(JsonObject update) {
    JsonObject m = update.getJsonObject("message");
    if (m != null) {
      m.remove("botToken");
      if (m.getValue("date") instanceof Number n) {
        m.put("date", TelegramShim.seconds(n.longValue()));
      }
    }
  }

  @Override
  public void close() {
    pump.shutdownNow();
    try {
      shim.close();
    } finally {
      try {
        vertx.close().await(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // Vert.x threads that outlive the test are daemons; the emulator must still go
      }
      emulator.close();
    }
  }
}
