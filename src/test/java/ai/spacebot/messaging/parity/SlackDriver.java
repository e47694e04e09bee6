package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.SlackPeer;
import ai.spacebot.testkit.SlackPeer.Mode;
import ai.spacebot.testkit.SlackProxy;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Slack as the parity suite drives it, in Socket Mode or through the Events API: {@link SlackPeer} (emulate's Web
 * API behind a fault proxy, plus our Socket Mode server or signed POSTs to {@code /slack/events}), four channels
 * bound to the four group modes. A person's message is posted to emulate with their token and then pushed to the
 * bot as Slack pushes it (a mention in a channel twice: {@code message} and {@code app_mention}); what the bot
 * posted is read back from {@code conversations.history} and {@code conversations.replies}; its typing is the
 * {@code eyes} reaction it adds.
 */
public final class SlackDriver implements PlatformDriver {
  /** Group key to channel name. */
  static final Map<String, String> GROUPS = new LinkedHashMap<>(Map.of("active", "parity-active", "active+mention",
      "parity-active-mention", "mention_only", "parity-mention-only", "observe", "parity-observe"));
  /** Split smaller than the default 12,000 so the parity's long reply (about 11,500 characters) is split. */
  static final int MAX_LENGTH = 4000;

  private final SlackPeer peer;
  /** ts to the callbacks that carried the message, for a redelivery. */
  private final Map<String, List<JsonObject>> callbacks = new ConcurrentHashMap<>();

  public SlackDriver(Mode mode) throws Exception {
    // The parity's people (1001...) and the adapter benchmark's (5000...).
    List<String> users = new ArrayList<>(IntStream.rangeClosed(1001, 1020).mapToObj(i -> "u" + i).toList());
    IntStream.range(5000, 5200).forEach(i -> users.add("u" + i));
    this.peer = SlackPeer.start(mode, users, List.copyOf(GROUPS.values()));
  }

  public SlackPeer peer() {
    return peer;
  }

  @Override
  public String platform() {
    return "slack";
  }

  @Override
  public int maxMessageLength() {
    return MAX_LENGTH;
  }

  @Override
  public Map<String, String> env() {
    return peer.env(SlackPeer.BOT_TOKEN);
  }

  @Override
  public Map<String, String> badTokenEnv() {
    return peer.env(SlackPeer.REFUSED_TOKEN);
  }

  @Override
  public String yaml() {
    StringBuilder yaml = new StringBuilder("messaging:\n  slack:\n    max_message_chars: " + MAX_LENGTH
        + "\nbindings:\n");
    GROUPS.forEach((key, name) -> {
      String mode = key.startsWith("active") ? "active" : key;
      yaml.append("  - platform: slack\n    guild_id: \"").append(SlackPeer.TEAM).append("\"\n    channel_id: \"")
          .append(peer.channelId(name)).append("\"\n    agent_id: main\n    dm_allowed: false\n    response_mode: ")
          .append(mode).append("\n    require_mention: ").append(key.equals("active+mention")).append('\n');
    });
    return yaml.toString();
  }

  @Override
  public void attach(String appUrl) {
    peer.attach(appUrl);
  }

  @Override
  public Chat dm(String userId, String userName) {
    return new Chat(userId, peer.dmChannel("u" + userId), true);
  }

  @Override
  public Chat group(String groupKey) {
    String name = GROUPS.get(groupKey);
    if (name == null) {
      throw new IllegalArgumentException("no group " + groupKey + "; known: " + GROUPS.keySet());
    }
    return new Chat(groupKey, peer.channelId(name), false);
  }

  @Override
  public List<String> groupIds() {
    return List.copyOf(GROUPS.keySet());
  }

  @Override
  public String say(Chat chat, String userId, String userName, String text, boolean mentionBot) {
    String user = "u" + userId;
    String words = mentionBot ? "<@" + SlackPeer.BOT_USER + "> " + text : text;
    String ts = peer.post(user, chat.id(), words, null);
    List<JsonObject> sent = new ArrayList<>();
    sent.add(peer.callback(peer.messageEvent(user, chat.id(), words, ts, null)));
    if (mentionBot && !chat.direct()) {
      sent.add(peer.callback(peer.mentionEvent(user, chat.id(), words, ts, null)));
    }
    callbacks.put(ts, sent);
    for (JsonObject callback : sent) {
      push(callback, 0);
    }
    return ts;
  }

  private void push(JsonObject callback, int retry) {
    SlackPeer.Pushed pushed = peer.deliver(callback, retry);
    if (peer.mode() == Mode.EVENTS && pushed.status() != 200) {
      throw new IllegalStateException("/slack/events answered " + pushed.status() + ": " + pushed.body());
    }
  }

  @Override
  public void redeliver(Chat chat, String platformMessageId) {
    List<JsonObject> sent = callbacks.get(platformMessageId);
    if (sent == null) {
      throw new IllegalArgumentException("no event carried message " + platformMessageId + " in " + chat);
    }
    push(sent.get(0), 1);
  }

  @Override
  public List<String> botMessages(Chat chat) {
    return peer.botMessages(chat.id()).stream().map(SlackPeer.Posted::text).toList();
  }

  /**
   * Each message with the time its chat.postMessage reached the proxy (emulate's ts has whole seconds and a
   * counter, not the time of day).
   */
  @Override
  public List<Posted> botMessagesTimed(Chat chat) {
    Map<String, Long> sentAt = new java.util.HashMap<>();
    for (SlackProxy.Call call : peer.proxy().calls("chat.postMessage")) {
      if (chat.id().equals(call.params().getString("channel")) && call.status() == 200) {
        sentAt.putIfAbsent(call.params().getString("text"), call.atMillis());
      }
    }
    return peer.botMessages(chat.id()).stream().map(p -> new Posted(p.text(), sentAt.getOrDefault(p.text(), 0L)))
        .toList();
  }

  @Override
  public List<Long> typing(Chat chat) {
    return peer.proxy().calls("reactions.add").stream()
        .filter(c -> chat.id().equals(c.params().getString("channel")) && "eyes".equals(c.params().getString("name")))
        .map(SlackProxy.Call::atMillis).toList();
  }

  @Override
  public void failNextSends(int status, int retryAfterSeconds, int count) {
    SlackProxy.Fault fault = switch (status) {
      case 429 -> SlackProxy.Fault.rateLimited(retryAfterSeconds);
      // Slack refuses with HTTP 200 and an error code: the bot was removed from the channel.
      case 403 -> SlackProxy.Fault.error("not_in_channel");
      default -> SlackProxy.Fault.http(status);
    };
    peer.proxy().failNext("chat.postMessage", count, fault);
  }

  @Override
  public void dropConnection() {
    peer.socket().drop();
  }

  @Override
  public int connections() {
    return peer.socket().connections();
  }

  @Override
  public String conversationId(Chat chat) {
    return "slack:" + SlackPeer.TEAM + ":" + chat.id();
  }

  /** The Events API has no connection of ours to drop. */
  @Override
  public Set<Scenario> unsupported() {
    return peer.mode() == Mode.EVENTS ? Set.of(Scenario.DROP_CONNECTION) : Set.of();
  }

  /** mrkdwn code blocks: a part is whole when its fences pair up. */
  @Override
  public boolean wellFormed(String message) {
    int fences = 0;
    for (int at = message.indexOf("```"); at >= 0; at = message.indexOf("```", at + 3)) {
      fences++;
    }
    return fences % 2 == 0;
  }

  @Override
  public void close() {
    peer.close();
  }
}
