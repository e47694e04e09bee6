package ai.spacebot.messaging.discord;

import ai.spacebot.config.DiscordConfig;
import java.util.EnumSet;
import java.util.List;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.channel.concrete.PrivateChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.Compression;
import okhttp3.OkHttpClient;

/**
 * The bot's session with Discord: one JDA, or JDA's ShardManager when {@code shards > 1}, with the REST base URL
 * and gateway from config. Building one blocks (JDA checks the token with {@code GET /users/@me}, a ShardManager
 * also asks {@code GET /gateway/bot}): call {@link #open} off the event loop. The lookups read JDA's cache.
 */
final class DiscordConnection {
  /**
   * Guild messages and DMs for what people write, and the privileged Message Content intent for the text of
   * messages that do not mention the bot. (JDA always adds GUILDS, for the channel and thread cache.)
   */
  static final EnumSet<GatewayIntent> INTENTS = EnumSet.of(GatewayIntent.GUILD_MESSAGES,
      GatewayIntent.MESSAGE_CONTENT, GatewayIntent.DIRECT_MESSAGES);

  private final JDA jda;
  private final ShardManager shards;

  private DiscordConnection(JDA jda, ShardManager shards) {
    this.jda = jda;
    this.shards = shards;
  }

  /**
   * Logs in and starts the gateway session(s); returns before READY (the listener sees it).
   *
   * @throws net.dv8tion.jda.api.exceptions.InvalidTokenException when Discord refuses the token
   */
  static DiscordConnection open(DiscordConfig config, Object listener, RateLimitWatch watch) {
    RestConfig rest = new RestConfig().setBaseUrl(config.restUrl());
    DiscordSessionController sessions = new DiscordSessionController(config.gatewayUrl());
    // A gateway of our choosing (a proxy, a local peer) is spoken to uncompressed: zlib-stream is Discord's own.
    Compression compression = config.gatewayUrl() != null ? Compression.NONE : Compression.ZLIB;
    OkHttpClient.Builder http = new OkHttpClient.Builder().addInterceptor(watch);
    if (config.shards() > 1) {
      ShardManager manager = DefaultShardManagerBuilder.createLight(config.token(), INTENTS)
          .setShardsTotal(config.shards())
          .setRestConfig(rest)
          .setSessionController(sessions)
          .setCompression(compression)
          .setHttpClientBuilder(http)
          .setEnableShutdownHook(false)
          .addEventListeners(listener)
          .build();
      return new DiscordConnection(null, manager);
    }
    JDA jda = JDABuilder.createLight(config.token(), INTENTS)
        .setRestConfig(rest)
        .setSessionController(sessions)
        .setCompression(compression)
        .setHttpClientBuilder(http)
        .setEnableShutdownHook(false)
        .addEventListeners(listener)
        .build();
    return new DiscordConnection(jda, null);
  }

  /** The shard that holds DMs and speaks for the application (commands): shard 0. */
  JDA main() {
    return jda != null ? jda : shards.getShardById(0) != null ? shards.getShardById(0) : shards.getShards().get(0);
  }

  List<JDA> all() {
    return jda != null ? List.of(jda) : shards.getShards();
  }

  String selfId() {
    return main().getSelfUser().getId();
  }

  /** A guild text channel or thread the bot can see, or null. */
  GuildMessageChannel channel(String id) {
    return jda != null ? jda.getChannelById(GuildMessageChannel.class, id)
        : shards.getChannelById(GuildMessageChannel.class, id);
  }

  /** The DM channel with a user (from the cache when JDA knows it, else opened through the API). */
  RestAction<PrivateChannel> dm(String userId) {
    return main().openPrivateChannelById(userId);
  }

  /** Closes every session at once; does not wait. */
  void shutdown() {
    if (jda != null) {
      jda.shutdownNow();
    } else {
      shards.shutdown();
    }
  }
}
