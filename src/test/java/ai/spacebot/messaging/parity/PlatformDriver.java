package ai.spacebot.messaging.parity;

import java.util.List;
import java.util.Map;

/**
 * A platform as the parity suite drives it: a local peer that behaves like the real service (the Telegram Bot
 * API emulator with its shim, the Discord gateway + REST stub behind Prism, the web chat), seen from the
 * people who talk to the bot. One implementation per adapter; the scenarios in {@code ParityScenarios} are
 * written once against this.
 */
public interface PlatformDriver extends AutoCloseable {
  /** {@code telegram}, {@code discord}, {@code portal}. */
  String platform();

  /** The platform's message length limit (what the adapter must split at). */
  int maxMessageLength();

  /** Environment that points the app's adapter at this peer (tokens, API URLs). */
  Map<String, String> env();

  /** Extra config.yaml for the app (e.g. bindings for the group chats below); may be empty. */
  String yaml();

  /** A private conversation with one person. */
  Chat dm(String userId, String userName);

  /**
   * A group conversation. {@code mode} and {@code requireMention} are what its binding says; the driver's
   * {@link #yaml()} must contain such a binding for the chat (drivers create their groups up front, see
   * {@link #groupIds()}).
   */
  Chat group(String groupKey);

  /** The group keys {@link #yaml()} binds, with their mode: {@code active}, {@code active+mention}, {@code mention_only}, {@code observe}. */
  List<String> groupIds();

  /**
   * Environment for an app whose adapter uses a token the platform refuses (the parity suite checks the error is
   * clear and the web chat still answers).
   */
  Map<String, String> badTokenEnv();

  /** A person says something; returns the platform's id of that message. */
  String say(Chat chat, String userId, String userName, String text, boolean mentionBot);

  /** The platform delivers the same message (update, event) once more, as platforms do after a timeout. */
  void redeliver(Chat chat, String platformMessageId);

  /** What the bot posted in the chat so far, in order (text as the platform shows it, markup included). */
  List<String> botMessages(Chat chat);

  /** A message the bot posted, with when the platform got it (epoch ms), for latency benchmarks. */
  record Posted(String text, long atMillis) {}

  /** What the bot posted in the chat with arrival times; platforms whose peer records them implement this. */
  default List<Posted> botMessagesTimed(Chat chat) {
    throw new UnsupportedOperationException(platform() + " does not record arrival times");
  }

  /** Times (epoch ms) the bot sent "typing…" to the chat. */
  List<Long> typing(Chat chat);

  /** The next {@code count} sends of a message answer with this status (429 carries retryAfterSeconds). */
  void failNextSends(int status, int retryAfterSeconds, int count);

  /** Drops the bot's connection to the platform (long poll, gateway) once. */
  void dropConnection();

  /** How often the bot (re)connected: a drop must be followed by one more. */
  int connections();

  /** The conversation id Spacebot uses for a chat, e.g. {@code telegram:123}. */
  String conversationId(Chat chat);

  /** Called once the app runs, with its base URL (a driver that talks to Spacebot's own API needs it). */
  default void attach(String appUrl) {}

  /** Scenarios this platform cannot have (the web chat has no 429s and no connection to drop). */
  default java.util.Set<Scenario> unsupported() {
    return java.util.Set.of();
  }

  /** Whether one message the bot sent is well-formed for the platform (balanced tags or code fences). */
  default boolean wellFormed(String message) {
    return true;
  }

  /** The parity scenarios that depend on what a platform can do. */
  enum Scenario { GROUPS, RATE_LIMIT, SERVER_ERROR, FORBIDDEN, DROP_CONNECTION, BAD_TOKEN, TYPING, SPLIT }

  /** A conversation on the platform, as the driver knows it. */
  record Chat(String key, String id, boolean direct) {}

  @Override
  void close();
}
