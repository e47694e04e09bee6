package ai.spacebot.messaging.twitch;

import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.TwitchConfig;
import ai.spacebot.messaging.Bindings;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules that turn a Twitch chat message into an {@link InboundMessage}: its conversation ({@code twitch:{channel}}),
 * whether the adapter keeps it at all (never the bot's own lines or the ignored users'), whether it is addressed to the
 * bot, and which agent it goes to ({@link Bindings}).
 *
 * <p>Twitch chat moves fast, so a message is addressed to the bot only by an {@code @mention}, the configured trigger
 * prefix ({@code !ask ...}) or a reply to one of the bot's messages: that is {@code mentionsBot} for the bindings. A
 * channel no binding names is answered in {@code messaging.default_group_mode} ({@code mention_only} unless changed),
 * so everything else is kept in the transcript and not answered; a binding with {@code require_mention} says the
 * same for an active channel, and only a binding that says {@code active} without it answers every line.
 */
final class TwitchNormaliser {
  static final String PLATFORM = "twitch";

  private final TwitchConfig config;
  private final Bindings bindings;
  private final Pattern mention;

  TwitchNormaliser(TwitchConfig config, Bindings bindings) {
    this.config = config;
    this.bindings = bindings;
    this.mention = Pattern.compile("(?i)(?<![\\w@])@" + Pattern.quote(config.botName()) + "(?!\\w)[,:]?");
  }

  static String conversationId(String channel) {
    return PLATFORM + ":" + channel;
  }

  /** Why the adapter drops this message, or null when it keeps it. */
  String ignoreReason(ChatLine m) {
    if (m.login().equals(config.botName())) {
      return "own message";
    }
    if (config.ignoreUsers().contains(m.login())) {
      return "from an ignored user (ignore_users)";
    }
    if (!config.channels().contains(m.channel())) {
      // Shared chat mirrors other channels' messages into a joined one; only the configured channels are ours.
      return "channel not in channels";
    }
    return null;
  }

  /** An @mention of the bot, the trigger prefix, or a reply to one of the bot's messages. */
  boolean addressed(ChatLine m) {
    return mention.matcher(m.text()).find() || prefixed(m.text()) != null
        || config.botName().equalsIgnoreCase(m.replyParentLogin());
  }

  /** The text the agent reads: without the trigger prefix and without the bot's @mention. */
  String text(ChatLine m) {
    String text = m.text();
    String rest = prefixed(text);
    if (rest != null) {
      text = rest;
    }
    return mention.matcher(text).replaceAll(" ").replaceAll("[ \\t]{2,}", " ").strip();
  }

  /** The text after the trigger prefix ({@code !ask what now} → {@code what now}), or null without it. */
  private String prefixed(String text) {
    String prefix = config.triggerPrefix();
    if (prefix == null || !text.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return null;
    }
    String rest = text.substring(prefix.length());
    return rest.isEmpty() || Character.isWhitespace(rest.charAt(0)) ? rest.strip() : null;
  }

  InboundMessage toInbound(ChatLine m) {
    boolean addressed = addressed(m);
    Bindings.Route route = bindings.route(PLATFORM, null, m.channel(), false, m.login(), addressed,
        config.authority());
    JsonObject metadata = new JsonObject().put("channel", m.channel());
    String id = m.dedupId(() -> "local:" + UUID.randomUUID());
    metadata.put("message_id", id);
    if (m.userId() != null) {
      metadata.put("user_id", m.userId());
    }
    return new InboundMessage(UUID.randomUUID().toString(), route.agentId(), PLATFORM, conversationId(m.channel()),
        m.login(), m.senderName(), text(m), m.timestamp(), id, metadata, route.addressing(), m.replyParentId(),
        java.util.List.of()).withConversationName("#" + m.channel());
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
