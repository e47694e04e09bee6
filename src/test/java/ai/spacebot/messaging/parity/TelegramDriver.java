package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.TelegramFault;
import ai.spacebot.testkit.TelegramPeer;
import ai.spacebot.testkit.TelegramPeer.User;
import ai.spacebot.testkit.TelegramPeer.UserMessage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telegram as the parity suite drives it: {@link TelegramPeer} (the Bot API emulator behind its shim), with four
 * supergroups bound to the four group modes. People write through the peer's user side; what the bot sent, its
 * chat actions and its sign-ins ({@code getMe}, one per connection) are read from the peer's records.
 */
public final class TelegramDriver implements PlatformDriver {
  private static final Map<String, Long> GROUPS = Map.of("active", -1002001L, "active+mention", -1002002L,
      "mention_only", -1002003L, "observe", -1002004L);
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z-]+)[^>]*>");

  private final TelegramPeer peer;
  /** "chat:message" to the update that carried it, for a redelivery. */
  private final Map<String, Integer> updates = new ConcurrentHashMap<>();

  public TelegramDriver() throws Exception {
    this.peer = TelegramPeer.start();
  }

  public TelegramPeer peer() {
    return peer;
  }

  @Override
  public String platform() {
    return "telegram";
  }

  @Override
  public int maxMessageLength() {
    return 4096;
  }

  @Override
  public Map<String, String> env() {
    return Map.of("TELEGRAM_BOT_TOKEN", peer.token(), "TELEGRAM_API_URL", peer.apiUrl());
  }

  @Override
  public Map<String, String> badTokenEnv() {
    return Map.of("TELEGRAM_BOT_TOKEN", "999999:not-the-token-of-this-bot", "TELEGRAM_API_URL", peer.apiUrl());
  }

  /**
   * A short long-poll timeout: a dropped connection is noticed at the next poll, and the suite should not wait 50 s
   * for one.
   */
  @Override
  public String yaml() {
    StringBuilder yaml = new StringBuilder("messaging:\n  telegram:\n    poll_timeout_seconds: 2\nbindings:\n");
    GROUPS.forEach((key, id) -> {
      String mode = key.startsWith("active") ? "active" : key;
      yaml.append("  - platform: telegram\n    chat_id: \"").append(id).append("\"\n    agent_id: main\n")
          .append("    dm_allowed: false\n    response_mode: ").append(mode).append('\n')
          .append("    require_mention: ").append(key.equals("active+mention")).append('\n');
    });
    return yaml.toString();
  }

  @Override
  public Chat dm(String userId, String userName) {
    return new Chat(userId, userId, true);
  }

  @Override
  public Chat group(String groupKey) {
    Long id = GROUPS.get(groupKey);
    if (id == null) {
      throw new IllegalArgumentException("no group " + groupKey + "; known: " + GROUPS.keySet());
    }
    return new Chat(groupKey, String.valueOf(id), false);
  }

  @Override
  public List<String> groupIds() {
    return List.copyOf(GROUPS.keySet());
  }

  @Override
  public String say(Chat chat, String userId, String userName, String text, boolean mentionBot) {
    User from = new User(Long.parseLong(userId), userName, null);
    // The peer adds the mention entity, as Telegram's servers do.
    String words = mentionBot ? "@" + peer.botUsername() + " " + text : text;
    long chatId = Long.parseLong(chat.id());
    UserMessage message = chat.direct() ? UserMessage.direct(from, words)
        : UserMessage.supergroup(chatId, "Parity " + chat.key(), from, words);
    TelegramPeer.Inbound sent = peer.sendUserMessage(message);
    updates.put(chatId + ":" + sent.messageId(), sent.updateId());
    return String.valueOf(sent.messageId());
  }

  @Override
  public void redeliver(Chat chat, String platformMessageId) {
    Integer update = updates.get(chat.id() + ":" + platformMessageId);
    if (update == null) {
      throw new IllegalArgumentException("no update carried message " + platformMessageId + " in " + chat);
    }
    peer.replay(update);
  }

  @Override
  public List<String> botMessages(Chat chat) {
    return peer.botMessages(Long.parseLong(chat.id())).stream().filter(m -> !m.deleted())
        .map(TelegramPeer.BotMessage::text).toList();
  }

  /** Each message with the time its sendMessage reached the peer (the first call that carried its text). */
  @Override
  public List<Posted> botMessagesTimed(Chat chat) {
    Map<String, Long> sentAt = new java.util.HashMap<>();
    for (TelegramPeer.BotCall call : peer.calls("sendMessage")) {
      if (chat.id().equals(String.valueOf(call.params().getValue("chat_id")))) {
        sentAt.putIfAbsent(call.params().getString("text"), call.time().toEpochMilli());
      }
    }
    return botMessages(chat).stream().map(text -> new Posted(text, sentAt.getOrDefault(text, 0L))).toList();
  }

  @Override
  public List<Long> typing(Chat chat) {
    return peer.chatActions(Long.parseLong(chat.id())).stream().filter(a -> a.action().equals("typing"))
        .map(a -> a.time().toEpochMilli()).toList();
  }

  @Override
  public void failNextSends(int status, int retryAfterSeconds, int count) {
    TelegramFault fault = switch (status) {
      case 429 -> TelegramFault.tooManyRequests(retryAfterSeconds);
      case 403 -> TelegramFault.blockedByUser();
      case 500 -> TelegramFault.internalServerError();
      case 502 -> TelegramFault.badGateway();
      default -> TelegramFault.error(status, "Error " + status);
    };
    peer.failNext("sendMessage", count, fault);
  }

  @Override
  public void dropConnection() {
    peer.dropNextGetUpdates();
  }

  /** Each connection starts with getMe (the adapter learns who it is before it polls). */
  @Override
  public int connections() {
    return peer.calls("getMe").size();
  }

  @Override
  public String conversationId(Chat chat) {
    return "telegram:" + chat.id();
  }

  /** Telegram HTML: every tag closed, in order (a split must close and reopen a code block). */
  @Override
  public boolean wellFormed(String message) {
    Deque<String> open = new ArrayDeque<>();
    Matcher m = TAG.matcher(message);
    while (m.find()) {
      String name = m.group(2).toLowerCase();
      if (m.group(1).isEmpty()) {
        open.push(name);
      } else if (open.isEmpty() || !open.pop().equals(name)) {
        return false;
      }
    }
    return open.isEmpty();
  }

  @Override
  public void close() {
    peer.close();
  }
}
