package ai.spacebot.testkit;

import ai.spacebot.testkit.TelegramPeer.BotCall;
import ai.spacebot.testkit.TelegramPeer.BotMessage;
import ai.spacebot.testkit.TelegramPeer.ChatAction;
import ai.spacebot.testkit.TelegramPeer.Reaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the Bot API server knows: chats and their messages (ids per chat, as in supergroups), forum topics, files,
 * callback queries, and the record of what the bot did. Guarded by its own monitor: the test thread (user side)
 * and the shim's event loop (bot side) both change it, always briefly.
 */
final class TelegramWorld {
  record StoredFile(String fileId, String uniqueId, String path, byte[] bytes, String name, String mimeType) {}

  private static final class ChatState {
    final JsonObject chat;
    int lastMessageId;
    final Map<Integer, JsonObject> messages = new LinkedHashMap<>();
    final Map<Integer, JsonObject> topics = new HashMap<>();
    boolean blocked;

    ChatState(JsonObject chat) {
      this.chat = chat;
    }
  }

  final JsonObject bot;
  private final Map<Long, ChatState> chats = new HashMap<>();
  private final Map<String, StoredFile> files = new HashMap<>();
  private final Map<String, Boolean> callbacks = new HashMap<>();
  private final List<BotCall> calls = new ArrayList<>();
  private final List<BotMessage> botMessages = new ArrayList<>();
  private final List<ChatAction> actions = new ArrayList<>();
  private final List<Reaction> reactions = new ArrayList<>();
  private final List<JsonObject> answers = new ArrayList<>();
  private final Map<String, JsonArray> commands = new HashMap<>();
  private final AtomicLong fileSeq = new AtomicLong();

  TelegramWorld(JsonObject bot) {
    this.bot = bot;
  }

  long botId() {
    return bot.getLong("id");
  }

  // ---- chats and messages

  /** Registers a chat, or merges new fields (title, is_forum) into the known one; returns Telegram's chat object. */
  synchronized JsonObject putChat(JsonObject chat) {
    ChatState state = chats.computeIfAbsent(chat.getLong("id"), id -> new ChatState(chat.copy()));
    state.chat.mergeIn(chat);
    return state.chat.copy();
  }

  synchronized Optional<JsonObject> chat(long id) {
    ChatState state = chats.get(id);
    return Optional.ofNullable(state == null ? null : state.chat.copy());
  }

  synchronized Optional<Long> chatByUsername(String username) {
    return chats.values().stream().filter(s -> username.equalsIgnoreCase(s.chat.getString("username")))
        .map(s -> s.chat.getLong("id")).findFirst();
  }

  synchronized int nextMessageId(long chatId) {
    return ++state(chatId).lastMessageId;
  }

  synchronized void putMessage(JsonObject message) {
    state(message.getJsonObject("chat").getLong("id")).messages.put(message.getInteger("message_id"), message.copy());
  }

  synchronized Optional<JsonObject> message(long chatId, int messageId) {
    ChatState state = chats.get(chatId);
    JsonObject m = state == null ? null : state.messages.get(messageId);
    return Optional.ofNullable(m == null ? null : m.copy());
  }

  synchronized boolean removeMessage(long chatId, int messageId) {
    ChatState state = chats.get(chatId);
    return state != null && state.messages.remove(messageId) != null;
  }

  /** The service message that opened a forum topic; its id is the topic's message_thread_id. */
  synchronized Optional<JsonObject> topic(long chatId, int threadId) {
    ChatState state = chats.get(chatId);
    JsonObject t = state == null ? null : state.topics.get(threadId);
    return Optional.ofNullable(t == null ? null : t.copy());
  }

  synchronized JsonObject createTopic(long chatId, String name, JsonObject creator, long date) {
    int id = nextMessageId(chatId);
    JsonObject created = new JsonObject().put("message_id", id).put("from", creator).put("chat", state(chatId).chat.copy())
        .put("date", date).put("message_thread_id", id)
        .put("forum_topic_created", new JsonObject().put("name", name).put("icon_color", 7322096));
    state(chatId).topics.put(id, created);
    state(chatId).messages.put(id, created);
    return created.copy();
  }

  synchronized boolean blocked(long chatId) {
    ChatState state = chats.get(chatId);
    return state != null && state.blocked;
  }

  synchronized void setBlocked(long chatId, boolean blocked) {
    state(chatId).blocked = blocked;
  }

  private ChatState state(long chatId) {
    ChatState state = chats.get(chatId);
    if (state == null) {
      throw new IllegalArgumentException("unknown chat " + chatId);
    }
    return state;
  }

  // ---- files

  synchronized StoredFile addFile(byte[] bytes, String name, String mimeType, String folder) {
    long n = fileSeq.incrementAndGet();
    String unique = "AQAD" + Long.toHexString(n) + UUID.randomUUID().toString().substring(0, 8);
    String fileId = "BQACAgIAAxk" + unique + "AAQ";
    String extension = name != null && name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
    StoredFile file = new StoredFile(fileId, unique, folder + "/file_" + n + extension, bytes, name, mimeType);
    files.put(fileId, file);
    return file;
  }

  synchronized Optional<StoredFile> file(String fileId) {
    return Optional.ofNullable(files.get(fileId));
  }

  synchronized Optional<StoredFile> fileByPath(String path) {
    return files.values().stream().filter(f -> f.path().equals(path)).findFirst();
  }

  // ---- callback queries

  synchronized void addCallback(String id) {
    callbacks.put(id, false);
  }

  /** True the first time an existing query is answered; Telegram refuses unknown and repeated answers. */
  synchronized boolean answerCallback(String id, JsonObject params) {
    if (!Boolean.FALSE.equals(callbacks.get(id))) {
      return false;
    }
    callbacks.put(id, true);
    answers.add(params.copy());
    return true;
  }

  // ---- records of the bot's side

  synchronized void recordCall(BotCall call) {
    calls.add(call);
  }

  synchronized List<BotCall> calls() {
    return List.copyOf(calls);
  }

  synchronized void addBotMessage(BotMessage message) {
    botMessages.add(message);
  }

  synchronized void replaceBotMessage(long chatId, int messageId, java.util.function.UnaryOperator<BotMessage> change) {
    for (int i = 0; i < botMessages.size(); i++) {
      BotMessage m = botMessages.get(i);
      if (m.chatId() == chatId && m.messageId() == messageId) {
        botMessages.set(i, change.apply(m));
      }
    }
  }

  synchronized List<BotMessage> botMessages() {
    return List.copyOf(botMessages);
  }

  synchronized void addAction(ChatAction action) {
    actions.add(action);
  }

  synchronized List<ChatAction> actions() {
    return List.copyOf(actions);
  }

  synchronized void addReaction(Reaction reaction) {
    reactions.add(reaction);
  }

  synchronized List<Reaction> reactions() {
    return List.copyOf(reactions);
  }

  synchronized List<JsonObject> callbackAnswers() {
    return answers.stream().map(JsonObject::copy).toList();
  }

  synchronized void setCommands(String scopeKey, JsonArray list) {
    if (list == null) {
      commands.remove(scopeKey);
    } else {
      commands.put(scopeKey, list.copy());
    }
  }

  synchronized JsonArray commands(String scopeKey) {
    JsonArray list = commands.get(scopeKey);
    return list == null ? new JsonArray() : list.copy();
  }
}
