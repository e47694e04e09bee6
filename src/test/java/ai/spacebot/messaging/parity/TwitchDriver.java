package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.IrcViewer;
import ai.spacebot.testkit.TwitchPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Twitch chat as the parity suite drives it: {@link TwitchPeer} (InspIRCd behind websocketd), people as
 * {@link IrcViewer}s, and one more viewer that only listens and records what the bot says, with arrival times.
 *
 * <p>What Twitch chat cannot have, and so is not generated:
 * <ul>
 *   <li>Rate limits, server errors and refusals are not answers on IRC: Twitch drops an excess message silently
 *       (the adapter's own pacing keeps the limit, TwitchAdapterIT shows it), and there is no 429, 5xx or 403 for
 *       a send ({@code RATE_LIMIT}, {@code SERVER_ERROR}, {@code FORBIDDEN}).</li>
 *   <li>Twitch chat shows no typing indicator ({@code TYPING}).</li>
 * </ul>
 * Twitch has no direct messages in chat either (whispers left IRC in 2023 and are a separate API). The suite's
 * "direct" conversation with one person is therefore a channel of that person's own where the bot's binding answers
 * every line ({@code active}, no mention needed), as in a streamer's channel with the bot as its assistant. Each
 * person gets one of a pool of such channels, all joined at start.
 */
public final class TwitchDriver implements PlatformDriver {
  static final String BOT = "agentbot";
  private static final Map<String, String> GROUPS = new LinkedHashMap<>(Map.of(
      "active", "grp_active", "active+mention", "grp_mention", "mention_only", "grp_mentiononly",
      "observe", "grp_observe"));
  private static final List<String> SOLO = IntStream.rangeClosed(1, 16).mapToObj(i -> "solo" + i).toList();

  private final TwitchPeer peer;
  private final IrcViewer watcher;
  private final Map<String, IrcViewer> people = new HashMap<>();
  private final Map<String, String> soloOf = new HashMap<>();

  public TwitchDriver() throws IOException {
    peer = TwitchPeer.start();
    peer.expectChannels(channels().size());
    try {
      watcher = peer.viewer("watcher", channels());
    } catch (IOException | RuntimeException | Error e) {
      peer.close();
      throw e;
    }
  }

  private static List<String> channels() {
    List<String> all = new ArrayList<>(GROUPS.values());
    all.addAll(SOLO);
    return all;
  }

  @Override
  public String platform() {
    return "twitch";
  }

  @Override
  public int maxMessageLength() {
    return 500;
  }

  @Override
  public Map<String, String> env() {
    return env(peer.token());
  }

  private Map<String, String> env(String token) {
    return Map.of("TWITCH_OAUTH_TOKEN", "oauth:" + token, "TWITCH_BOT_NAME", BOT, "TWITCH_CHANNELS",
        String.join(",", channels()), "TWITCH_IRC_URL", peer.url());
  }

  @Override
  public Map<String, String> badTokenEnv() {
    return env("not0the0token0of0this0bot");
  }

  /**
   * The bot is a moderator here (100 messages per 30 s): the long reply is some 35 messages, and the suite's waits
   * are shorter than the 30 s a non-moderator's 21st message waits.
   */
  @Override
  public String yaml() {
    StringBuilder yaml = new StringBuilder("messaging:\n  twitch:\n    moderator: true\nbindings:\n");
    GROUPS.forEach((key, channel) -> binding(yaml, channel, key.startsWith("active") ? "active" : key,
        key.equals("active+mention")));
    SOLO.forEach(channel -> binding(yaml, channel, "active", false));
    return yaml.toString();
  }

  private static void binding(StringBuilder yaml, String channel, String mode, boolean requireMention) {
    yaml.append("  - platform: twitch\n    channel_id: ").append(channel).append("\n    agent_id: main\n")
        .append("    response_mode: ").append(mode).append("\n    require_mention: ").append(requireMention)
        .append('\n');
  }

  @Override
  public Set<Scenario> unsupported() {
    return Set.of(Scenario.RATE_LIMIT, Scenario.SERVER_ERROR, Scenario.FORBIDDEN, Scenario.TYPING);
  }

  @Override
  public synchronized Chat dm(String userId, String userName) {
    String channel = soloOf.computeIfAbsent(userId, id -> {
      if (soloOf.size() >= SOLO.size()) {
        throw new IllegalStateException("more people than solo channels (" + SOLO.size() + ")");
      }
      return SOLO.get(soloOf.size());
    });
    return new Chat(userId, channel, true);
  }

  @Override
  public Chat group(String groupKey) {
    return new Chat(groupKey, GROUPS.get(groupKey), false);
  }

  @Override
  public List<String> groupIds() {
    return List.copyOf(GROUPS.keySet());
  }

  @Override
  public String say(Chat chat, String userId, String userName, String text, boolean mentionBot) {
    return person(userName, userId).say(chat.id(), mentionBot ? "@" + BOT + " " + text : text);
  }

  /** One viewer per person: the login (our sender id) is the name and the user id, e.g. {@code ada_1001}. */
  private synchronized IrcViewer person(String name, String userId) {
    String nick = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "") + "_" + userId;
    return people.computeIfAbsent(nick, n -> {
      try {
        return peer.viewer(n, channels());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The line the bot got, sent to it once more: IRC itself never does, but a replaying server would. */
  @Override
  public synchronized void redeliver(Chat chat, String platformMessageId) {
    for (IrcViewer v : people.values()) {
      String line = v.echoed(platformMessageId);
      if (line != null) {
        peer.inject(line);
        return;
      }
    }
    throw new IllegalArgumentException("nobody said " + platformMessageId);
  }

  @Override
  public List<String> botMessages(Chat chat) {
    return watcher.heard(chat.id(), BOT).stream().map(IrcViewer.Said::text).toList();
  }

  @Override
  public List<Posted> botMessagesTimed(Chat chat) {
    return watcher.heard(chat.id(), BOT).stream().map(s -> new Posted(s.text(), s.atMillis())).toList();
  }

  @Override
  public List<Long> typing(Chat chat) {
    throw new UnsupportedOperationException("Twitch chat has no typing indicator");
  }

  @Override
  public void failNextSends(int status, int retryAfterSeconds, int count) {
    throw new UnsupportedOperationException("a Twitch chat send has no status to fail with");
  }

  @Override
  public void dropConnection() {
    peer.dropConnection();
  }

  @Override
  public int connections() {
    return peer.connections();
  }

  @Override
  public String conversationId(Chat chat) {
    return "twitch:" + chat.id();
  }

  /** One line, within the limit, and never read by Twitch as a command. */
  @Override
  public boolean wellFormed(String message) {
    return !message.contains("\n") && !message.contains("\r") && message.length() <= 500
        && !message.startsWith("/") && !message.startsWith(".");
  }

  @Override
  public void close() {
    peer.close();
  }
}
