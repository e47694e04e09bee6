package ai.spacebot.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code messaging.*} and {@code bindings:}; a platform's token in the environment enables its adapter. */
final class MessagingConfigReader {
  static final Set<String> PLATFORMS = Set.of("telegram", "discord", "slack", "twitch", "webhook");
  /** The response modes (bus Addressing spells the same words). */
  static final Set<String> MODES = Set.of("active", "observe", "mention_only");
  static final Set<String> TELEGRAM_KEYS = Set.of("enabled", "token", "api_url", "mode", "webhook_url", "webhook_secret",
      "poll_timeout_seconds", "allowed_chats", "dm_allowed", "allowed_dm_users", "ignore_bots", "authority",
      "typing_interval_ms", "max_attachment_bytes");
  static final Set<String> DISCORD_KEYS = Set.of("enabled", "token", "rest_url", "gateway_url", "shards", "allowed_guilds",
      "allowed_channels", "dm_allowed", "allowed_dm_users", "ignore_bots", "authority", "typing_interval_ms",
      "register_commands", "max_attachment_bytes");
  static final Set<String> SLACK_KEYS = Set.of("enabled", "bot_token", "app_token", "signing_secret", "mode", "api_url",
      "socket_url", "reply_in_thread", "typing_reaction", "allowed_teams", "allowed_channels", "dm_allowed",
      "allowed_dm_users", "ignore_bots", "authority", "typing_interval_ms", "max_message_chars", "posts_per_second",
      "post_burst", "max_attachment_bytes");
  static final Set<String> WEBHOOK_KEYS = Set.of("id", "secret", "callback_url", "callback_secret", "typing_events",
      "timeout_ms", "authority", "max_attempts");
  /** A webhook's id: it is part of URLs and conversation ids. */
  static final java.util.regex.Pattern WEBHOOK_ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final Set<String> TWITCH_KEYS = Set.of("enabled", "oauth_token", "bot_name", "channels", "irc_url",
      "trigger_prefix", "ignore_users", "moderator", "send_limit", "send_window_ms", "authority");
  static final Set<String> BINDING_KEYS = Set.of("platform", "guild_id", "webhook_id", "chat_id", "channel_id",
      "dm_allowed", "agent_id", "require_mention", "response_mode", "authority", "authority_roles", "allowed_users", "allowed_roles");

  private MessagingConfigReader() {}

  static MessagingConfig read(ConfigTree t, Map<String, String> env, Set<String> agentIds) {
    return new MessagingConfig(telegram(t, env), discord(t, env), slack(t, env), twitch(t, env), bindings(t, agentIds),
        mode(t, "messaging.default_group_mode", "mention_only"), webhooks(t));
  }

  /** The webhooks' own {@code max_attempts}, by the prefix of their conversation ids (for the outbox). */
  static Map<String, Integer> webhookAttempts(MessagingConfig messaging) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (WebhookConfig w : messaging.webhooks()) {
      if (w.maxAttempts() != null) {
        out.put("webhook:" + w.id() + ":", w.maxAttempts());
      }
    }
    return out;
  }

  private static List<WebhookConfig> webhooks(ConfigTree t) {
    List<WebhookConfig> out = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (ConfigTree w : t.mappings("messaging.webhooks")) {
      for (String key : w.entries().keySet()) {
        if (!WEBHOOK_KEYS.contains(key)) {
          throw w.fail(key, w.find(key), "is not a webhook key (known: " + String.join(", ",
              new java.util.TreeSet<>(WEBHOOK_KEYS)) + ")");
        }
      }
      String id = w.string("id", null);
      if (id == null || !WEBHOOK_ID.matcher(id).matches()) {
        throw w.fail("id", w.find("id"), "must be 1-64 of a-z 0-9 _ - (it is part of the webhook's URL)");
      }
      if (!seen.add(id)) {
        throw w.fail("id", w.find("id"), "names webhook \"" + id + "\" a second time");
      }
      String secret = w.string("secret", null);
      // A secret that waits for a locked secret store keeps the adapter waiting until the store is unlocked.
      if (secret == null && !w.waits("secret")) {
        throw w.fail("secret", w.find("id"), "is required: the bearer secret the other system sends "
            + "(write it as env:VAR or secret:NAME to keep it out of this file)");
      }
      if (secret != null && secret.length() < 16) {
        throw w.fail("secret", null, "must be at least 16 characters (anyone who guesses it can talk to the agent)");
      }
      String callback = w.string("callback_url", null);
      if (callback != null && !callback.matches("https?://\\S+")) {
        throw w.fail("callback_url", w.find("callback_url"), "must be an http(s) URL");
      }
      Integer attempts = w.find("max_attempts") == null ? null : w.integer("max_attempts", 3, 1, 100);
      out.add(new WebhookConfig(id, secret, callback, w.string("callback_secret", null),
          w.bool("typing_events", false), w.integer("timeout_ms", 10_000, 100, 300_000), ids(w, "authority"),
          attempts));
    }
    return List.copyOf(out);
  }

  private static TelegramConfig telegram(ConfigTree t, Map<String, String> env) {
    String p = "messaging.telegram.";
    String token = firstNonBlank(env.get("TELEGRAM_BOT_TOKEN"), t.string(p + "token", null));
    // A token that waits for a locked secret store still enables the adapter: it starts once the store is unlocked.
    boolean waits = token == null && t.waits(p + "token");
    boolean enabled = t.bool(p + "enabled", token != null || waits);
    if (enabled && token == null && !waits) {
      throw ConfigTree.bad(p + "token", t.find(p + "enabled"), "is required when the Telegram adapter is enabled; "
          + "set TELEGRAM_BOT_TOKEN to the token @BotFather gave you");
    }
    String mode = t.string(p + "mode", TelegramConfig.POLLING);
    if (!mode.equals(TelegramConfig.POLLING) && !mode.equals(TelegramConfig.WEBHOOK)) {
      throw ConfigTree.bad(p + "mode", t.find(p + "mode"), "must be polling or webhook, got \"" + mode + "\"");
    }
    String webhookUrl = t.string(p + "webhook_url", null);
    String secret = t.string(p + "webhook_secret", null);
    if (mode.equals(TelegramConfig.WEBHOOK)) {
      if (webhookUrl == null || !webhookUrl.matches("https?://\\S+")) {
        throw ConfigTree.bad(p + "webhook_url", t.find(p + "mode"), "must be the public https URL Telegram posts to "
            + "when mode is webhook (its path is served on the API port)");
      }
      if (secret == null || !secret.matches("[A-Za-z0-9_-]{1,256}")) {
        throw ConfigTree.bad(p + "webhook_secret", t.find(p + "mode"), "must be 1-256 of A-Z a-z 0-9 _ - in webhook "
            + "mode (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token)");
      }
    }
    return new TelegramConfig(enabled, token,
        stripSlash(firstNonBlank(env.get("TELEGRAM_API_URL"), t.string(p + "api_url", "https://api.telegram.org"))),
        mode, webhookUrl, secret,
        t.integer(p + "poll_timeout_seconds", 50, 0, 600),
        ids(t, p + "allowed_chats"), t.bool(p + "dm_allowed", true), ids(t, p + "allowed_dm_users"),
        t.bool(p + "ignore_bots", true), ids(t, p + "authority"),
        t.integer(p + "typing_interval_ms", 5000, 100, 60_000),
        t.integer(p + "max_attachment_bytes", 20 * 1024 * 1024, 0, Integer.MAX_VALUE));
  }

  private static DiscordConfig discord(ConfigTree t, Map<String, String> env) {
    String p = "messaging.discord.";
    String token = firstNonBlank(env.get("DISCORD_BOT_TOKEN"), t.string(p + "token", null));
    // A token that waits for a locked secret store still enables the adapter: it starts once the store is unlocked.
    boolean waits = token == null && t.waits(p + "token");
    boolean enabled = t.bool(p + "enabled", token != null || waits);
    if (enabled && token == null && !waits) {
      throw ConfigTree.bad(p + "token", t.find(p + "enabled"), "is required when the Discord adapter is enabled; "
          + "set DISCORD_BOT_TOKEN to the bot token from the Developer Portal (Bot > Reset Token)");
    }
    String rest = firstNonBlank(env.get("DISCORD_REST_URL"), t.string(p + "rest_url", "https://discord.com/api/v10/"));
    if (!rest.matches("https?://\\S+")) {
      throw ConfigTree.bad(p + "rest_url", t.find(p + "rest_url"), "must be an http(s) URL");
    }
    String gateway = firstNonBlank(env.get("DISCORD_GATEWAY_URL"), t.string(p + "gateway_url", null));
    if (gateway != null && !gateway.matches("wss?://\\S+")) {
      throw ConfigTree.bad(p + "gateway_url", t.find(p + "gateway_url"), "must be a ws:// or wss:// URL");
    }
    return new DiscordConfig(enabled, token, rest.endsWith("/") ? rest : rest + "/", gateway,
        t.integer(p + "shards", 1, 1, 1024),
        ids(t, p + "allowed_guilds"), ids(t, p + "allowed_channels"), t.bool(p + "dm_allowed", true),
        ids(t, p + "allowed_dm_users"), t.bool(p + "ignore_bots", true), ids(t, p + "authority"),
        t.integer(p + "typing_interval_ms", 8000, 100, 60_000), t.bool(p + "register_commands", true),
        t.integer(p + "max_attachment_bytes", 25 * 1024 * 1024, 0, Integer.MAX_VALUE));
  }

  private static TwitchConfig twitch(ConfigTree t, Map<String, String> env) {
    String p = "messaging.twitch.";
    String token = firstNonBlank(env.get("TWITCH_OAUTH_TOKEN"), t.string(p + "oauth_token", null));
    // A token that waits for a locked secret store still enables the adapter: it starts once the store is unlocked.
    boolean waits = token == null && t.waits(p + "oauth_token");
    boolean enabled = t.bool(p + "enabled", token != null || waits);
    String name = firstNonBlank(env.get("TWITCH_BOT_NAME"), t.string(p + "bot_name", null));
    String envChannels = env.get("TWITCH_CHANNELS");
    List<String> raw = envChannels != null && !envChannels.isBlank() ? List.of(envChannels.split(","))
        : t.strings(p + "channels");
    List<String> channels = new ArrayList<>();
    for (String c : raw) {
      String channel = c.strip().toLowerCase(java.util.Locale.ROOT);
      channel = channel.startsWith("#") ? channel.substring(1) : channel;
      if (channel.isEmpty()) {
        continue;
      }
      if (!channel.matches("[a-z0-9_]{1,25}")) {
        throw ConfigTree.bad(p + "channels", t.find(p + "channels"), "holds \"" + c.strip() + "\", which is not a "
            + "Twitch channel name (letters, digits and _, as in the channel's URL twitch.tv/<name>)");
      }
      if (!channels.contains(channel)) {
        channels.add(channel);
      }
    }
    if (enabled) {
      if (token == null && !waits) {
        throw ConfigTree.bad(p + "oauth_token", t.find(p + "enabled"), "is required when the Twitch adapter is enabled; "
            + "set TWITCH_OAUTH_TOKEN to the bot account's user access token (scopes chat:read chat:edit)");
      }
      if (name == null || !name.toLowerCase(java.util.Locale.ROOT).matches("[a-z0-9_]{1,25}")) {
        throw ConfigTree.bad(p + "bot_name", t.find(p + "bot_name"), name == null
            ? "is required with a Twitch token: set TWITCH_BOT_NAME to the bot account's login name"
            : "must be the bot account's login name (letters, digits and _), got \"" + name + "\"");
      }
      if (channels.isEmpty()) {
        throw ConfigTree.bad(p + "channels", t.find(p + "channels"), "must name at least one channel to join; set "
            + "TWITCH_CHANNELS to a comma-separated list, e.g. mychannel,otherchannel");
      }
    }
    if (token != null && token.regionMatches(true, 0, "oauth:", 0, 6)) {
      token = token.substring(6);
    }
    String url = firstNonBlank(env.get("TWITCH_IRC_URL"), t.string(p + "irc_url", TwitchConfig.TWITCH_CHAT_URL));
    if (!url.matches("wss?://\\S+")) {
      throw ConfigTree.bad(p + "irc_url", t.find(p + "irc_url"), "must be a ws:// or wss:// URL (Twitch chat speaks "
          + "IRC over WebSocket), got \"" + url + "\"");
    }
    String prefix = t.string(p + "trigger_prefix", null);
    boolean moderator = t.bool(p + "moderator", false);
    Set<String> ignore = new LinkedHashSet<>();
    for (String u : t.strings(p + "ignore_users")) {
      ignore.add(u.strip().toLowerCase(java.util.Locale.ROOT));
    }
    Set<String> authority = new LinkedHashSet<>();
    for (String u : t.strings(p + "authority")) {
      authority.add(u.strip().toLowerCase(java.util.Locale.ROOT));
    }
    return new TwitchConfig(enabled, token, name == null ? null : name.toLowerCase(java.util.Locale.ROOT),
        List.copyOf(channels), url, prefix == null || prefix.isBlank() ? null : prefix.strip(), ignore, moderator,
        t.integer(p + "send_limit", moderator ? TwitchConfig.MODERATOR_LIMIT : TwitchConfig.USER_LIMIT, 1, 100_000),
        t.integer(p + "send_window_ms", (int) TwitchConfig.LIMIT_WINDOW_MS, 100, 3_600_000), authority);
  }

  private static SlackConfig slack(ConfigTree t, Map<String, String> env) {
    String p = "messaging.slack.";
    String bot = firstNonBlank(env.get("SLACK_BOT_TOKEN"), t.string(p + "bot_token", null));
    String app = firstNonBlank(env.get("SLACK_APP_TOKEN"), t.string(p + "app_token", null));
    String signing = firstNonBlank(env.get("SLACK_SIGNING_SECRET"), t.string(p + "signing_secret", null));
    String mode = firstNonBlank(env.get("SLACK_MODE"), t.string(p + "mode", SlackConfig.SOCKET));
    if (!SlackConfig.SOCKET.equals(mode) && !SlackConfig.EVENTS.equals(mode)) {
      throw ConfigTree.bad(p + "mode", t.find(p + "mode"), "must be socket or events, got \"" + mode + "\"");
    }
    boolean events = SlackConfig.EVENTS.equals(mode);
    // A token that waits for a locked secret store still enables the adapter: it starts once the store is unlocked.
    boolean waits = (bot == null && t.waits(p + "bot_token")) || (app == null && t.waits(p + "app_token"))
        || (signing == null && t.waits(p + "signing_secret"));
    boolean enabled = t.bool(p + "enabled", (bot != null || t.waits(p + "bot_token"))
        && (events ? signing != null || t.waits(p + "signing_secret") : app != null || t.waits(p + "app_token")));
    if (enabled && !waits) {
      if (bot == null) {
        throw ConfigTree.bad(p + "bot_token", t.find(p + "enabled"), "is required when the Slack adapter is enabled; "
            + "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-...) from your app's OAuth & Permissions page");
      }
      if (!events && app == null) {
        throw ConfigTree.bad(p + "app_token", t.find(p + "enabled"), "is required in Socket Mode; set SLACK_APP_TOKEN "
            + "to an app-level token (xapp-...) with connections:write (Basic Information > App-Level Tokens)");
      }
      if (events && signing == null) {
        throw ConfigTree.bad(p + "signing_secret", t.find(p + "mode"), "is required in events mode; set "
            + "SLACK_SIGNING_SECRET to the Signing Secret from your app's Basic Information page");
      }
    }
    String api = firstNonBlank(env.get("SLACK_API_URL"), t.string(p + "api_url", "https://slack.com/api/"));
    if (!api.matches("https?://\\S+")) {
      throw ConfigTree.bad(p + "api_url", t.find(p + "api_url"), "must be an http(s) URL");
    }
    String socket = firstNonBlank(env.get("SLACK_SOCKET_URL"), t.string(p + "socket_url", null));
    if (socket != null && !socket.matches("wss?://\\S+")) {
      throw ConfigTree.bad(p + "socket_url", t.find(p + "socket_url"), "must be a ws:// or wss:// URL");
    }
    String reaction = t.string(p + "typing_reaction", "eyes");
    reaction = reaction == null ? "" : reaction.strip().replace(":", "");
    double rate = t.integer(p + "posts_per_second", 1, 1, 100);
    return new SlackConfig(enabled, bot, app, signing, mode, api.endsWith("/") ? api : api + "/", socket,
        t.bool(p + "reply_in_thread", true), reaction, ids(t, p + "allowed_teams"), ids(t, p + "allowed_channels"),
        t.bool(p + "dm_allowed", true), ids(t, p + "allowed_dm_users"), t.bool(p + "ignore_bots", true),
        ids(t, p + "authority"), t.integer(p + "typing_interval_ms", 60_000, 1000, 600_000),
        t.integer(p + "max_message_chars", 12_000, 500, 40_000), rate, t.integer(p + "post_burst", 5, 1, 100),
        t.integer(p + "max_attachment_bytes", 25 * 1024 * 1024, 0, Integer.MAX_VALUE));
  }

  private static List<Binding> bindings(ConfigTree t, Set<String> agentIds) {
    List<Binding> out = new ArrayList<>();
    for (ConfigTree b : t.mappings("bindings")) {
      for (String key : b.entries().keySet()) {
        if (!BINDING_KEYS.contains(key)) {
          throw b.fail(key, b.find(key), "is not a binding key (known: " + String.join(", ", new java.util.TreeSet<>(BINDING_KEYS)) + ")");
        }
      }
      String platform = b.string("platform", null);
      if (platform == null || !PLATFORMS.contains(platform)) {
        throw b.fail("platform", b.find("platform"), "must be one of " + new java.util.TreeSet<>(PLATFORMS));
      }
      String agent = b.string("agent_id", null);
      if (agent == null || !agentIds.contains(agent)) {
        throw b.fail("agent_id", b.find("agent_id"), agent == null ? "is required" : "names no agent (\"" + agent + "\")");
      }
      String chat = b.string("chat_id", b.string("channel_id", null));
      // A webhook binding names the webhook as webhook_id (the "guild" of its conversations).
      String guild = b.string("guild_id", b.string("webhook_id", null));
      out.add(new Binding(platform, guild, chat, b.bool("dm_allowed", true), agent,
          b.bool("require_mention", false), mode(b, "response_mode", "active"), ids(b, "authority"),
          ids(b, "authority_roles"), ids(b, "allowed_users"), ids(b, "allowed_roles")));
    }
    return List.copyOf(out);
  }

  private static String mode(ConfigTree t, String path, String fallback) {
    String mode = t.string(path, fallback).replace('-', '_');
    if (!MODES.contains(mode)) {
      throw t.fail(path, t.find(path), "must be active, observe or mention_only, got \"" + mode + "\"");
    }
    return mode;
  }

  /** Ids may be written as numbers (Telegram chat ids, Discord snowflakes): they are compared as text. */
  private static Set<String> ids(ConfigTree t, String path) {
    return new LinkedHashSet<>(t.strings(path));
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a.strip() : b != null && !b.isBlank() ? b.strip() : null;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
