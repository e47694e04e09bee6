package ai.spacebot.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code messaging.*} and {@code bindings:}; a platform's token in the environment enables its adapter. */
final class MessagingConfigReader {
  static final Set<String> PLATFORMS = Set.of("telegram", "discord", "slack");
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
  static final Set<String> BINDING_KEYS = Set.of("platform", "guild_id", "chat_id", "channel_id", "dm_allowed",
      "agent_id", "require_mention", "response_mode", "authority", "authority_roles", "allowed_users", "allowed_roles");

  private MessagingConfigReader() {}

  static MessagingConfig read(ConfigTree t, Map<String, String> env, Set<String> agentIds) {
    return new MessagingConfig(telegram(t, env), discord(t, env), slack(t, env), bindings(t, agentIds),
        mode(t, "messaging.default_group_mode", "mention_only"));
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
      out.add(new Binding(platform, b.string("guild_id", null), chat, b.bool("dm_allowed", true), agent,
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
