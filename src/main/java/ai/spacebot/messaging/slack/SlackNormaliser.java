package ai.spacebot.messaging.slack;

import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.SlackConfig;
import ai.spacebot.messaging.Bindings;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules that turn a Slack message into an {@link InboundMessage}: its conversation ({@code slack:{team}:{channel}}
 * or, in a thread, {@code slack:{team}:{channel}:{thread_ts}}), whether the adapter keeps it (never the bot itself,
 * edits or joins; other bots and the configured filters), whether it mentions the bot, and its agent ({@link Bindings},
 * guild = team id, chat = channel id).
 */
final class SlackNormaliser {
  static final String PLATFORM = "slack";
  /** Message subtypes that are a person saying something; the others (edits, joins, topic changes) are not. */
  private static final Set<String> SAID = Set.of("file_share", "thread_broadcast", "me_message");

  private final SlackConfig config;
  private final Bindings bindings;

  SlackNormaliser(SlackConfig config, Bindings bindings) {
    this.config = config;
    this.bindings = bindings;
  }

  static String conversationId(SlackMessage m) {
    // A thread's parent carries its own ts as thread_ts: it is still a message of the channel.
    boolean threaded = m.threadTs() != null && !m.threadTs().equals(m.ts());
    return PLATFORM + ":" + m.teamId() + ":" + m.channelId() + (threaded ? ":" + m.threadTs() : "");
  }

  /** Why the adapter drops this message, or null when it keeps it. */
  String ignoreReason(SlackMessage m, String selfUserId, String selfBotId) {
    if (m.userId() != null && m.userId().equals(selfUserId) || m.botId() != null && m.botId().equals(selfBotId)) {
      return "own message";
    }
    if (m.subtype() != null && !SAID.contains(m.subtype()) && !"bot_message".equals(m.subtype())) {
      return "subtype " + m.subtype();
    }
    if ((m.botId() != null || "bot_message".equals(m.subtype())) && config.ignoreBots()) {
      return "from a bot (ignore_bots)";
    }
    if (m.userId() == null && m.botId() == null) {
      return "no sender";
    }
    if (m.channelId() == null || m.ts() == null) {
      return "no channel or ts";
    }
    if (!config.allowedTeams().isEmpty() && !config.allowedTeams().contains(m.teamId())) {
      return "team not in allowed_teams";
    }
    if (m.direct()) {
      if (!config.dmAllowed()) {
        return "DMs are off (dm_allowed: false)";
      }
      if (!config.allowedDmUsers().isEmpty() && !config.allowedDmUsers().contains(m.userId())) {
        return "DM from a user not in allowed_dm_users";
      }
      return null;
    }
    if (!config.allowedChannels().isEmpty() && !config.allowedChannels().contains(m.channelId())) {
      return "channel not in allowed_channels";
    }
    return null;
  }

  /** Whether an answer to this top-level message goes in a new thread under it. */
  boolean replyInThread(SlackMessage m) {
    return config.replyInThread() && !m.direct();
  }

  static boolean mentionsBot(String text, String selfUserId) {
    return text != null && selfUserId != null && text.contains("<@" + selfUserId);
  }

  /** The text without the bot's own mention ({@code <@U123>} or {@code <@U123|name>}), and Slack's escapes undone. */
  static String stripMention(String text, String selfUserId) {
    String t = text == null ? "" : text;
    if (selfUserId != null) {
      t = t.replaceAll("<@" + Pattern.quote(selfUserId) + "(\\|[^>]*)?>", " ");
    }
    t = t.replaceAll("[ \\t]{2,}", " ").strip();
    return t.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  InboundMessage toInbound(SlackMessage m, String selfUserId, String senderName, boolean forceMention) {
    boolean mentioned = forceMention || mentionsBot(m.text(), selfUserId);
    Bindings.Route route = bindings.route(PLATFORM, m.teamId(), m.channelId(), m.direct(), m.userId(), mentioned,
        config.authority());
    JsonObject metadata = new JsonObject().put("team_id", m.teamId()).put("channel_id", m.channelId())
        .put("ts", m.ts()).put("channel_type", m.channelType());
    if (m.threadTs() != null) {
      metadata.put("thread_ts", m.threadTs());
    }
    long millis = (long) (Double.parseDouble(m.ts()) * 1000);
    return new InboundMessage(UUID.randomUUID().toString(), route.agentId(), PLATFORM, conversationId(m),
        m.userId() != null ? m.userId() : m.botId(), senderName, stripMention(m.text(), selfUserId), millis,
        SlackTarget.messageId(m.channelId(), m.ts()), metadata, route.addressing(), null, List.of());
  }

  /** What the model reads for a button click. */
  static String buttonText(String label, String actionId, String messageTs) {
    return "[clicked button \"" + label + "\" (" + actionId + ") on message " + messageTs + "]";
  }

  /** {@code /spacebot model x} as the channel's own command text {@code /model x}; bare {@code /spacebot} is /help. */
  static String commandText(String text) {
    String t = text == null ? "" : text.strip();
    if (t.startsWith("/")) {
      t = t.substring(1);
    }
    return "/" + (t.isEmpty() ? "help" : t.replaceAll("\\s+", " "));
  }
}
