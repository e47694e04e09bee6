package ai.spacebot.messaging.discord;

import ai.spacebot.bus.Attachment;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.DiscordConfig;
import ai.spacebot.messaging.Bindings;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules that turn a Discord message into an {@link InboundMessage}: which conversation it belongs to, whether
 * the adapter keeps it at all (the configured filters; never the bot itself, webhooks or system messages), whether
 * it addresses the bot, and which agent it goes to ({@link Bindings}).
 */
final class DiscordNormaliser {
  static final String PLATFORM = "discord";
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

  private final DiscordConfig config;
  private final Bindings bindings;

  DiscordNormaliser(DiscordConfig config, Bindings bindings) {
    this.config = config;
    this.bindings = bindings;
  }

  /** {@code discord:{guild}:{channel}}, {@code discord:{guild}:{channel}:{thread}} or {@code discord:dm:{user}}. */
  static String conversationId(IncomingMessage m) {
    if (m.direct()) {
      return PLATFORM + ":dm:" + m.authorId();
    }
    return PLATFORM + ":" + m.guildId() + ":" + m.channelId() + (m.threadId() == null ? "" : ":" + m.threadId());
  }

  /** Why the adapter drops this message, or null when it keeps it. */
  String ignoreReason(IncomingMessage m, String selfId) {
    if (m.authorId().equals(selfId)) {
      return "own message";
    }
    if (m.webhook()) {
      return "webhook message";
    }
    if (m.system()) {
      return "system message";
    }
    if (m.authorBot() && config.ignoreBots()) {
      return "from a bot (ignore_bots)";
    }
    if (m.direct()) {
      if (!config.dmAllowed()) {
        return "DMs are off (dm_allowed: false)";
      }
      if (!config.allowedDmUsers().isEmpty() && !config.allowedDmUsers().contains(m.authorId())) {
        return "DM from a user not in allowed_dm_users";
      }
      return null;
    }
    if (!config.allowedGuilds().isEmpty() && !config.allowedGuilds().contains(m.guildId())) {
      return "guild not in allowed_guilds";
    }
    if (!config.allowedChannels().isEmpty() && !config.allowedChannels().contains(m.channelId())
        && (m.threadId() == null || !config.allowedChannels().contains(m.threadId()))) {
      return "channel not in allowed_channels";
    }
    return null;
  }

  /** An @mention of the bot's user (not @everyone, @here or a role), or a reply to one of its messages. */
  static boolean mentionsBot(IncomingMessage m, String selfId) {
    return m.mentionedUserIds().contains(selfId) || selfId.equals(m.referencedAuthorId());
  }

  /** The text without the bot's own mention ({@code <@id>} or the legacy nickname form {@code <@!id>}). */
  static String stripMention(String text, String selfId) {
    String stripped = text.replaceAll("<@!?" + Pattern.quote(selfId) + ">", " ");
    return stripped.replaceAll("[ \\t]{2,}", " ").strip();
  }

  InboundMessage toInbound(IncomingMessage m, String selfId, List<Attachment> attachments) {
    boolean mentioned = mentionsBot(m, selfId);
    Bindings.Route route = bindings.route(PLATFORM, m.guildId(), m.channelId(), m.direct(), m.authorId(), m.roleIds(),
        mentioned, config.authority());
    JsonObject metadata = new JsonObject().put("channel_id", m.channelId()).put("message_id", m.messageId());
    if (m.guildId() != null) {
      metadata.put("guild_id", m.guildId());
    }
    if (m.threadId() != null) {
      metadata.put("thread_id", m.threadId());
    }
    return new InboundMessage(UUID.randomUUID().toString(), route.agentId(), PLATFORM, conversationId(m), m.authorId(),
        m.authorName(), stripMention(m.content(), selfId), m.timestamp(), m.messageId(), metadata, route.addressing(),
        m.referencedMessageId(), attachments).withConversationName(m.conversationName());
  }

  /** The agent a message of this conversation goes to (where its attachments are saved). */
  String agentFor(IncomingMessage m) {
    return bindings.route(PLATFORM, m.guildId(), m.channelId(), m.direct(), m.authorId(), false, config.authority())
        .agentId();
  }

  /** Where an attachment is saved, relative to the agent's workspace. */
  static String attachmentPath(IncomingMessage m, String fileName) {
    String channel = m.threadId() != null ? m.threadId() : m.channelId();
    return "attachments/discord/" + channel + "/" + m.messageId() + "-" + safeName(fileName);
  }

  /** A file name that cannot leave its folder or trouble a shell: letters, digits, dot, dash, underscore. */
  static String safeName(String name) {
    String base = name == null || name.isBlank() ? "file" : name;
    base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
    String safe = UNSAFE.matcher(base).replaceAll("_");
    while (safe.startsWith(".")) {
      safe = safe.substring(1);
    }
    if (safe.isEmpty()) {
      safe = "file";
    }
    return safe.length() > 100 ? safe.substring(safe.length() - 100) : safe;
  }

  /** What the model reads for a button click. */
  static String buttonText(String label, String customId, String messageId) {
    return "[clicked button \"" + label + "\" (" + customId + ") on message " + messageId + "]";
  }

  /** A slash command as the channel's own command text: {@code /model openai/gpt-4o}. */
  static String commandText(String name, List<String> options) {
    StringBuilder text = new StringBuilder("/").append(name);
    for (String o : options) {
      if (o != null && !o.isBlank()) {
        text.append(' ').append(o.strip());
      }
    }
    return text.toString();
  }

  /** Our platform message id of an interaction (a click, a slash command): never a Discord message id. */
  static String interactionId(String interactionId) {
    return "ix:" + interactionId;
  }
}
