package ai.spacebot.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Discord's objects as its API and gateway send them (users, members, roles, channels, threads, guilds, messages),
 * with every field Discord's OpenAPI spec requires, so that Prism finds nothing to flag and JDA parses them as it
 * parses Discord's own. Ids are real snowflakes: JDA reads creation times from them.
 */
final class DiscordJson {
  /** Discord's epoch (2015-01-01), the zero of snowflake timestamps. */
  static final long EPOCH = 1420070400000L;
  /**
   * What the bot's invite grants (View Channels, Send Messages, Send Messages in Threads, Create Public Threads,
   * Read Message History, Add Reactions, Attach Files, Embed Links, Create Polls): README's invite link.
   */
  static final String BOT_PERMISSIONS = "563259191184448";

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private DiscordJson() {}

  /** A new snowflake: now in its top bits, a counter below, so ids grow in creation order. */
  static String snowflake() {
    return String.valueOf(((System.currentTimeMillis() - EPOCH) << 22) | (SEQUENCE.incrementAndGet() & 0x3FFFFF));
  }

  static String now() {
    return Instant.now().toString();
  }

  static JsonObject user(String id, String name, boolean bot) {
    JsonObject u = new JsonObject().put("id", id).put("username", name).put("avatar", null).put("discriminator", "0")
        .put("public_flags", 0).put("flags", 0).put("global_name", bot ? null : name).put("primary_guild", null);
    if (bot) {
      u.put("bot", true);
    }
    return u;
  }

  /** {@code GET /users/@me}: the user plus what only its owner sees. */
  static JsonObject selfUser(String id, String name) {
    return user(id, name, true).put("mfa_enabled", false).put("locale", "en-US").put("verified", true)
        .put("email", null).put("premium_type", 0).put("banner", null).put("accent_color", null);
  }

  static JsonObject member(JsonObject user) {
    JsonObject m = memberWithoutUser();
    return user == null ? m : m.put("user", user);
  }

  static JsonObject memberWithoutUser() {
    return new JsonObject().put("roles", new JsonArray()).put("joined_at", "2026-01-01T00:00:00.000000+00:00")
        .put("deaf", false).put("mute", false).put("flags", 0).put("pending", false).put("nick", null)
        .put("avatar", null).put("banner", null).put("premium_since", null)
        .put("communication_disabled_until", null);
  }

  static JsonObject everyoneRole(String guildId) {
    return new JsonObject().put("id", guildId).put("name", "@everyone").put("permissions", BOT_PERMISSIONS)
        .put("position", 0).put("color", 0)
        .put("colors", new JsonObject().put("primary_color", 0).put("secondary_color", null)
            .put("tertiary_color", null))
        .put("hoist", false).put("managed", false).put("mentionable", false).put("flags", 0).put("icon", null)
        .put("unicode_emoji", null).put("description", null);
  }

  static JsonObject textChannel(String id, String guildId, String name, int position) {
    return new JsonObject().put("id", id).put("type", 0).put("guild_id", guildId).put("name", name)
        .put("position", position).put("permission_overwrites", new JsonArray()).put("parent_id", null)
        .put("topic", null).put("nsfw", false).put("last_message_id", null).put("rate_limit_per_user", 0)
        .put("flags", 0);
  }

  static JsonObject thread(String id, String guildId, String parentId, String name, String ownerId) {
    return new JsonObject().put("id", id).put("type", 11).put("guild_id", guildId).put("parent_id", parentId)
        .put("name", name).put("owner_id", ownerId).put("flags", 0).put("last_message_id", null)
        .put("rate_limit_per_user", 0).put("message_count", 0).put("member_count", 1).put("total_message_sent", 0)
        .put("thread_metadata", new JsonObject().put("archived", false).put("auto_archive_duration", 1440)
            .put("archive_timestamp", now()).put("locked", false).put("create_timestamp", now()));
  }

  static JsonObject dmChannel(String id, JsonObject recipient) {
    return new JsonObject().put("id", id).put("type", 1).put("flags", 0).put("last_message_id", null)
        .put("recipients", new JsonArray().add(recipient));
  }

  static JsonObject guild(String id, String name, String ownerId, JsonArray channels, JsonArray members) {
    return new JsonObject().put("id", id).put("name", name).put("icon", null).put("splash", null)
        .put("discovery_splash", null).put("banner", null).put("description", null).put("owner_id", ownerId)
        .put("afk_channel_id", null).put("afk_timeout", 300).put("verification_level", 0)
        .put("default_message_notifications", 0).put("explicit_content_filter", 0).put("mfa_level", 0)
        .put("nsfw_level", 0).put("premium_tier", 0).put("premium_subscription_count", 0)
        .put("preferred_locale", "en-US").put("system_channel_id", null).put("system_channel_flags", 0)
        .put("rules_channel_id", null).put("public_updates_channel_id", null).put("safety_alerts_channel_id", null)
        .put("vanity_url_code", null).put("max_members", 500000).put("max_video_channel_users", 25)
        .put("features", new JsonArray()).put("roles", new JsonArray().add(everyoneRole(id)))
        .put("emojis", new JsonArray()).put("stickers", new JsonArray()).put("channels", channels)
        .put("threads", new JsonArray()).put("members", members).put("member_count", members.size() + 1)
        .put("voice_states", new JsonArray()).put("presences", new JsonArray())
        .put("stage_instances", new JsonArray()).put("guild_scheduled_events", new JsonArray())
        .put("soundboard_sounds", new JsonArray()).put("large", false).put("unavailable", false)
        .put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("premium_progress_bar_enabled", false)
        .put("application_id", null).put("incidents_data", null).put("lazy", true);
  }

  /** A message with every field Discord always sends; the caller adds guild_id, member, references. */
  static JsonObject message(String id, String channelId, JsonObject author, String content) {
    return new JsonObject().put("id", id).put("channel_id", channelId).put("author", author).put("type", 0)
        .put("content", content).put("mentions", new JsonArray()).put("mention_roles", new JsonArray())
        .put("attachments", new JsonArray()).put("embeds", new JsonArray()).put("components", new JsonArray())
        .put("timestamp", now()).put("edited_timestamp", null).put("flags", 0).put("pinned", false)
        .put("mention_everyone", false).put("tts", false);
  }

  /** An error body as Discord sends it: {@code {"message": "...", "code": N}}. */
  static JsonObject error(int code, String message) {
    return new JsonObject().put("message", message).put("code", code);
  }

  /** A poll as Discord answers it, from what the bot sent: answers numbered from 1, an expiry, no votes yet. */
  static JsonObject poll(JsonObject sent) {
    JsonArray answers = new JsonArray();
    JsonArray given = sent.getJsonArray("answers", new JsonArray());
    for (int i = 0; i < given.size(); i++) {
      JsonObject media = given.getJsonObject(i).getJsonObject("poll_media", new JsonObject()).copy();
      // Discord leaves out what was not given (no emoji), where a request may carry it as null
      media.getMap().values().removeIf(java.util.Objects::isNull);
      answers.add(new JsonObject().put("answer_id", i + 1).put("poll_media", media));
    }
    long hours = sent.getLong("duration", 24L);
    return new JsonObject().put("question", sent.getJsonObject("question")).put("answers", answers)
        .put("expiry", Instant.now().plusSeconds(hours * 3600).toString())
        .put("allow_multiselect", sent.getBoolean("allow_multiselect", false))
        .put("layout_type", sent.getInteger("layout_type", 1))
        .put("results", new JsonObject().put("is_finalized", false).put("answer_counts", new JsonArray()));
  }
}
