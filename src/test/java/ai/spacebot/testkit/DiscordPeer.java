package ai.spacebot.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local Discord for tests: the gateway ({@link DiscordGateway}) and the REST API ({@link DiscordRest}) on one
 * port, with Prism ({@link DiscordPrism}) in front of the REST API validating every request and response against
 * Discord's OpenAPI spec. Point JDA's REST base at {@link #restUrl()} and its gateway at {@link #gatewayUrl()} (the
 * adapter's {@code rest_url} / {@code gateway_url}); the bot token is {@link #token()}. No emulator of Discord
 * exists, so this one is ours; what it checks and answers follows Discord's documentation and spec.
 *
 * <p><b>World.</b> Guilds with text channels ({@link #createGuild}) are announced at READY (or at once, to a
 * connected bot). People ({@link User}) write in channels, threads and DMs ({@link #say}), with mentions, replies
 * and attachments (downloadable from the peer); edit and delete their messages; use slash commands; click buttons.
 * {@link #redeliver} sends a MESSAGE_CREATE again, as the gateway may after a resume.
 *
 * <p><b>Records.</b> {@link #botMessages}, {@link #typing}, {@link #reactions}, {@link #callbacks},
 * {@link #commands}, {@link #unhandled} (routes the peer does not know), {@link #violations} (what Prism flagged).
 *
 * <p><b>Faults.</b> {@link #failNext} (a 429 with retry_after, 403 Missing Permissions, 5xx), {@link #dropConnection}
 * (close 4000: JDA resumes), {@link #refuseMessageContent} (close 4014); a wrong token gets 401 on REST and 4004 on
 * the gateway.
 */
public final class DiscordPeer implements AutoCloseable {
  public static final String DEFAULT_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GpeerX.discord-peer-test-token";

  /** Someone on Discord. */
  public record User(String id, String name) {
    public static User of(String name) {
      return new User(DiscordJson.snowflake(), name);
    }
  }

  /** A guild and its text channels by name. */
  public record Guild(String id, Map<String, String> channels) {
    public String channel(String name) {
      String id = channels.get(name);
      if (id == null) {
        throw new IllegalArgumentException("no channel " + name + " in " + channels.keySet());
      }
      return id;
    }
  }

  /** What the bot posted: {@code kind} is message, interaction (a command's answer) or followup. */
  public record BotMessage(String channelId, String id, String kind, String content, JsonObject payload,
      List<String> files, long atMillis) {}

  public record Typing(String channelId, long atMillis) {}

  public record Reaction(String channelId, String messageId, String emoji) {}

  public record Callback(String interactionId, int type, long atMillis) {}

  private final Vertx vertx = Vertx.vertx();
  private final String token;
  private final User bot = new User(DiscordJson.snowflake(), "spacebot-peer");
  private final String applicationId = DiscordJson.snowflake();
  private final DiscordPrism prism;
  private final int prismFrom;
  private final HttpServer server;
  private final int port;
  private final DiscordGateway gateway;
  private int recommendedShards = 1;
  private int serverErrorsServed;
  private int violationsSeen;

  private final Map<String, JsonObject> guilds = new LinkedHashMap<>();
  private final Map<String, String> channelGuild = new LinkedHashMap<>();
  private final Map<String, JsonObject> users = new LinkedHashMap<>();
  private final Map<String, String> dmByUser = new LinkedHashMap<>();
  private final Map<String, JsonObject> messages = new LinkedHashMap<>();
  private final Map<String, byte[]> attachments = new LinkedHashMap<>();
  /** Interaction id → its token, and token → the channel it was used in. */
  private final Map<String, String> interactionTokens = new LinkedHashMap<>();
  private final Map<String, String> tokenChannels = new LinkedHashMap<>();
  private final List<BotMessage> botMessages = new ArrayList<>();
  private final List<Typing> typing = new ArrayList<>();
  private final List<Reaction> reactions = new ArrayList<>();
  private final List<Callback> callbacks = new ArrayList<>();
  private final List<String> unhandled = new ArrayList<>();
  private JsonArray commands = new JsonArray();
  private final Map<String, Deque<DiscordFault>> faults = new LinkedHashMap<>();
  private final Map<String, JsonObject> nonces = new java.util.HashMap<>();

  private DiscordPeer(String token, DiscordPrism prism, int port) throws IOException {
    this.token = token;
    this.prism = prism;
    this.prismFrom = prism == null ? 0 : prism.lineCount();
    users.put(bot.id(), DiscordJson.user(bot.id(), bot.name(), true));
    this.gateway = new DiscordGateway(token, "ws://127.0.0.1:" + port, DiscordJson.user(bot.id(), bot.name(), true)
        .put("mfa_enabled", false).put("verified", true), applicationId, this::guildsOnShard);
    DiscordRest rest = new DiscordRest(this, Files.createTempDirectory("discord-peer-uploads"));
    try {
      this.server = vertx.createHttpServer().requestHandler(rest.router(vertx)).webSocketHandler(gateway::accept)
          .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IOException("the Discord peer could not listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    this.port = server.actualPort();
  }

  /** A peer behind the JVM's Prism (REST validated against Discord's spec). */
  public static DiscordPeer start() throws IOException, InterruptedException {
    DiscordPrism prism = DiscordPrism.shared();
    return new DiscordPeer(DEFAULT_TOKEN, prism, prism.upstreamPort());
  }

  /** A peer without Prism (for load: Prism's validation would be what is measured). */
  public static DiscordPeer startDirect() throws IOException {
    return new DiscordPeer(DEFAULT_TOKEN, null, 0);
  }

  // ---- where the bot connects

  /** The REST base for JDA: Prism's, or the peer's own without Prism. */
  public String restUrl() {
    return prism != null ? prism.url() : "http://127.0.0.1:" + port + "/api/v10/";
  }

  public String gatewayUrl() {
    return "ws://127.0.0.1:" + port;
  }

  public String token() {
    return token;
  }

  public User bot() {
    return bot;
  }

  public String applicationId() {
    return applicationId;
  }

  /** What {@code GET /gateway/bot} recommends. */
  public synchronized void recommendShards(int shards) {
    this.recommendedShards = shards;
  }

  synchronized int recommendedShards() {
    return recommendedShards;
  }

  JsonObject selfUser() {
    return DiscordJson.selfUser(bot.id(), bot.name());
  }

  // ---- the world

  /** A guild with text channels of these names; announced to a connected bot at once. */
  public synchronized Guild createGuild(String name, String... channelNames) {
    String id = DiscordJson.snowflake();
    Map<String, String> ids = new LinkedHashMap<>();
    JsonArray channels = new JsonArray();
    for (String c : channelNames) {
      String cid = DiscordJson.snowflake();
      ids.put(c, cid);
      channelGuild.put(cid, id);
      channels.add(DiscordJson.textChannel(cid, id, c, channels.size()));
    }
    JsonObject guild = DiscordJson.guild(id, name, bot.id(), channels,
        new JsonArray().add(DiscordJson.member(DiscordJson.user(bot.id(), bot.name(), true))));
    guilds.put(id, guild);
    gateway.dispatch(id, "GUILD_CREATE", guild.copy());
    return new Guild(id, ids);
  }

  /** A role in a guild (in its GUILD_CREATE from now on, and announced to a connected bot); returns its id. */
  public synchronized String createRole(String guildId, String name) {
    String id = DiscordJson.snowflake();
    JsonObject role = DiscordJson.everyoneRole(guildId).put("id", id).put("name", name).put("position", 1)
        .put("permissions", "0");
    guilds.get(guildId).getJsonArray("roles").add(role);
    gateway.dispatch(guildId, "GUILD_ROLE_CREATE", new JsonObject().put("guild_id", guildId).put("role", role.copy()));
    return id;
  }

  private synchronized List<JsonObject> guildsOnShard(int[] shard) {
    return guilds.values().stream().filter(g -> (Long.parseLong(g.getString("id")) >> 22) % shard[1] == shard[0])
        .map(JsonObject::copy).toList();
  }

  synchronized boolean channelExists(String id) {
    return channelGuild.containsKey(id) || dmByUser.containsValue(id);
  }

  synchronized JsonObject knownUser(String id) {
    return users.get(id);
  }

  /** A known user whose id, as a double, is this number (see {@link DiscordRest}: Prism rounds big numbers). */
  synchronized String userByNumber(double number) {
    return users.keySet().stream().filter(id -> (double) Long.parseLong(id) == number).findFirst().orElse(null);
  }

  synchronized JsonObject message(String id) {
    return messages.get(id);
  }

  /** The DM channel with a user, opened on first use. */
  synchronized JsonObject dmChannel(String userId) {
    String id = dmByUser.computeIfAbsent(userId, u -> DiscordJson.snowflake());
    return DiscordJson.dmChannel(id, users.get(userId));
  }

  synchronized JsonObject openThread(String channelId, String fromMessage, String name) {
    String guildId = channelGuild.get(channelId);
    String id = fromMessage != null && messages.containsKey(fromMessage) ? fromMessage : DiscordJson.snowflake();
    channelGuild.put(id, guildId);
    JsonObject thread = DiscordJson.thread(id, guildId, channelId, name, bot.id());
    gateway.dispatch(guildId, "THREAD_CREATE", thread.copy().put("newly_created", true));
    return thread;
  }

  /** A thread someone else opened in a channel (announced to the bot as Discord does). */
  public synchronized String createThread(String channelId, String name, User owner) {
    users.putIfAbsent(owner.id(), DiscordJson.user(owner.id(), owner.name(), false));
    String guildId = channelGuild.get(channelId);
    String id = DiscordJson.snowflake();
    channelGuild.put(id, guildId);
    gateway.dispatch(guildId, "THREAD_CREATE", DiscordJson.thread(id, guildId, channelId, name, owner.id())
        .put("newly_created", true));
    return id;
  }

  // ---- people

  /** A message in a guild channel or thread; returns its id. */
  public String say(String channelId, User from, String text, boolean mentionBot) {
    return say(channelId, from, text, mentionBot, null, null);
  }

  /**
   * A message in a guild channel or thread, optionally replying to {@code replyTo} and carrying one attachment
   * ({@code file}: name, then content type; bytes in {@code bytes}).
   */
  public synchronized String say(String channelId, User from, String text, boolean mentionBot, String replyTo,
      Attachment file) {
    return say(channelId, from, List.of(), text, mentionBot, replyTo, file);
  }

  /** A message from a member who holds these roles (ids from {@link #createRole}). */
  public synchronized String say(String channelId, User from, List<String> roleIds, String text, boolean mentionBot,
      String replyTo, Attachment file) {
    String guildId = channelGuild.get(channelId);
    if (guildId == null) {
      throw new IllegalArgumentException("no guild channel " + channelId);
    }
    JsonObject author = remember(from);
    JsonObject m = DiscordJson.message(DiscordJson.snowflake(), channelId, author,
        mentionBot ? "<@" + bot.id() + "> " + text : text).put("guild_id", guildId)
        .put("member", DiscordJson.memberWithoutUser().put("roles", new JsonArray(new java.util.ArrayList<>(roleIds))));
    return post(m, guildId, mentionBot, replyTo, file);
  }

  /** A direct message to the bot; returns its id. */
  public synchronized String dm(User from, String text) {
    JsonObject author = remember(from);
    String channel = dmByUser.computeIfAbsent(from.id(), u -> DiscordJson.snowflake());
    JsonObject m = DiscordJson.message(DiscordJson.snowflake(), channel, author, text).put("channel_type", 1);
    return post(m, null, false, null, null);
  }

  /** A file someone attaches. */
  public record Attachment(String name, String contentType, byte[] bytes) {}

  private String post(JsonObject m, String guildId, boolean mentionBot, String replyTo, Attachment file) {
    if (mentionBot) {
      m.getJsonArray("mentions").add(users.get(bot.id()).copy());
    }
    if (replyTo != null) {
      JsonObject to = messages.get(replyTo);
      m.put("type", 19).put("message_reference", new JsonObject().put("type", 0).put("message_id", replyTo)
          .put("channel_id", m.getString("channel_id")).put("guild_id", guildId))
          .put("referenced_message", to == null ? null : to.copy());
      if (to != null && to.getJsonObject("author").getString("id").equals(bot.id())) {
        m.getJsonArray("mentions").add(users.get(bot.id()).copy());
      }
    }
    if (file != null) {
      String id = DiscordJson.snowflake();
      attachments.put(id, file.bytes());
      String url = "http://127.0.0.1:" + port + "/attachments/" + id + "/" + file.name();
      m.getJsonArray("attachments").add(new JsonObject().put("id", id).put("filename", file.name())
          .put("size", file.bytes().length).put("url", url).put("proxy_url", url)
          .put("content_type", file.contentType()));
    }
    messages.put(m.getString("id"), m);
    gateway.dispatch(guildId, "MESSAGE_CREATE", m.copy());
    return m.getString("id");
  }

  synchronized byte[] attachmentBytes(String id) {
    return attachments.get(id);
  }

  /** The same MESSAGE_CREATE once more. */
  public synchronized void redeliver(String messageId) {
    JsonObject m = messages.get(messageId);
    gateway.dispatch(m.getString("guild_id"), "MESSAGE_CREATE", m.copy());
  }

  public synchronized void edit(String messageId, String text) {
    JsonObject m = messages.get(messageId).put("content", text).put("edited_timestamp", DiscordJson.now());
    gateway.dispatch(m.getString("guild_id"), "MESSAGE_UPDATE", m.copy());
  }

  public synchronized void delete(String messageId) {
    JsonObject m = messages.get(messageId);
    JsonObject d = new JsonObject().put("id", messageId).put("channel_id", m.getString("channel_id"));
    if (m.getString("guild_id") != null) {
      d.put("guild_id", m.getString("guild_id"));
    }
    gateway.dispatch(m.getString("guild_id"), "MESSAGE_DELETE", d);
  }

  /** A slash command of ours used in a channel (guild or DM); returns the interaction id. */
  public synchronized String slashCommand(String channelId, User from, String name, Map<String, String> options) {
    JsonArray opts = new JsonArray();
    options.forEach((k, v) -> opts.add(new JsonObject().put("name", k).put("type", 3).put("value", v)));
    JsonObject command = commandsByName().get(name);
    JsonObject data = new JsonObject().put("id", command == null ? DiscordJson.snowflake() : command.getString("id"))
        .put("name", name).put("type", 1).put("options", opts);
    return interact(channelId, from, 2, data, null);
  }

  /** A click on a button of a message the bot posted; returns the interaction id. */
  public synchronized String clickButton(String botMessageId, User from, String customId) {
    JsonObject message = messages.get(botMessageId);
    return interact(message.getString("channel_id"), from, 3, new JsonObject().put("custom_id", customId)
        .put("component_type", 2), message.copy());
  }

  private String interact(String channelId, User from, int type, JsonObject data, JsonObject message) {
    JsonObject user = remember(from);
    String guildId = channelGuild.get(channelId);
    String id = DiscordJson.snowflake();
    String itoken = "aW50ZXJhY3Rpb246" + id;
    interactionTokens.put(id, itoken);
    tokenChannels.put(itoken, channelId);
    JsonObject ix = new JsonObject().put("id", id).put("application_id", applicationId).put("type", type)
        .put("token", itoken).put("version", 1).put("data", data).put("channel_id", channelId)
        .put("locale", "en-US").put("app_permissions", DiscordJson.BOT_PERMISSIONS)
        .put("entitlements", new JsonArray()).put("attachment_size_limit", 10485760);
    if (guildId != null) {
      ix.put("guild_id", guildId).put("guild_locale", "en-US").put("context", 0)
          .put("guild", new JsonObject().put("id", guildId).put("locale", "en-US").put("features", new JsonArray()))
          .put("member", DiscordJson.member(user).put("permissions", DiscordJson.BOT_PERMISSIONS))
          .put("channel", DiscordJson.textChannel(channelId, guildId, "channel", 0))
          .put("authorizing_integration_owners", new JsonObject().put("0", guildId));
    } else {
      ix.put("user", user).put("context", 1).put("channel", DiscordJson.dmChannel(channelId, user))
          .put("authorizing_integration_owners", new JsonObject().put("1", user.getString("id")));
    }
    if (message != null) {
      ix.put("message", message);
    }
    gateway.dispatch(guildId, "INTERACTION_CREATE", ix);
    return id;
  }

  private JsonObject remember(User u) {
    return users.computeIfAbsent(u.id(), id -> DiscordJson.user(id, u.name(), false)).copy();
  }

  private Map<String, JsonObject> commandsByName() {
    Map<String, JsonObject> byName = new LinkedHashMap<>();
    commands.forEach(o -> byName.put(((JsonObject) o).getString("name"), (JsonObject) o));
    return byName;
  }

  // ---- what the bot did (called by DiscordRest)

  synchronized JsonObject messageByNonce(String channelId, String nonce) {
    return nonces.get(channelId + "/" + nonce);
  }

  synchronized void rememberNonce(String channelId, String nonce, JsonObject message) {
    nonces.put(channelId + "/" + nonce, message);
  }

  synchronized JsonObject recordBotMessage(String channelId, JsonObject payload, List<String> files, String kind) {
    JsonObject m = DiscordJson.message(DiscordJson.snowflake(), channelId, users.get(bot.id()).copy(),
        payload.getString("content", ""));
    if (payload.getJsonArray("embeds") != null) {
      JsonArray embeds = payload.getJsonArray("embeds").copy();
      // what Discord adds to an embed it stores: its type, and inline on every field
      embeds.forEach(e -> {
        JsonObject embed = ((JsonObject) e).put("type", "rich");
        embed.getJsonArray("fields", new JsonArray()).forEach(f -> ((JsonObject) f).put("inline",
            ((JsonObject) f).getBoolean("inline", false)));
      });
      m.put("embeds", embeds);
    }
    if (payload.getJsonArray("components") != null) {
      m.put("components", numbered(payload.getJsonArray("components").copy(), new int[] {0}));
    }
    JsonObject ref = payload.getJsonObject("message_reference");
    if (ref != null && ref.getString("message_id") != null && messages.containsKey(ref.getString("message_id"))) {
      m.put("type", 19).put("message_reference", new JsonObject().put("type", 0)
          .put("message_id", ref.getString("message_id")).put("channel_id", channelId));
    }
    JsonArray attached = new JsonArray();
    files.forEach(f -> attached.add(new JsonObject().put("id", DiscordJson.snowflake())
        .put("filename", f.substring(0, f.lastIndexOf(':'))).put("size", sizeOf(f))
        .put("url", "http://127.0.0.1:" + port + "/attachments/0/x").put("proxy_url", "http://127.0.0.1/x")));
    m.put("attachments", attached);
    if (payload.getJsonObject("poll") != null) {
      m.put("poll", DiscordJson.poll(payload.getJsonObject("poll")));
    }
    messages.put(m.getString("id"), m);
    botMessages.add(new BotMessage(channelId, m.getString("id"), kind, m.getString("content"), payload.copy(),
        List.copyOf(files), System.currentTimeMillis()));
    return m;
  }

  /** Discord numbers every component of a message it answers with (depth first, from 1). */
  private static JsonArray numbered(JsonArray components, int[] next) {
    for (Object o : components) {
      JsonObject c = (JsonObject) o;
      c.put("id", ++next[0]);
      if (c.getJsonArray("components") != null) {
        numbered(c.getJsonArray("components"), next);
      }
    }
    return components;
  }

  private static int sizeOf(String file) {
    String size = file.substring(file.lastIndexOf(':') + 1);
    return size.matches("\\d+") ? Integer.parseInt(size) : 0;
  }

  synchronized void recordTyping(String channelId) {
    typing.add(new Typing(channelId, System.currentTimeMillis()));
  }

  synchronized void recordReaction(String channelId, String messageId, String emoji) {
    reactions.add(new Reaction(channelId, messageId, java.net.URLDecoder.decode(emoji,
        java.nio.charset.StandardCharsets.UTF_8)));
  }

  synchronized void recordCommands(JsonArray commands) {
    this.commands = commands.copy();
  }

  synchronized boolean recordCallback(String interactionId, String itoken, JsonObject body) {
    if (!itoken.equals(interactionTokens.get(interactionId))) {
      return false;
    }
    callbacks.add(new Callback(interactionId, body.getInteger("type", 0), System.currentTimeMillis()));
    return true;
  }

  synchronized String interactionChannel(String itoken) {
    return tokenChannels.get(itoken);
  }

  synchronized void unhandled(String route) {
    unhandled.add(route);
  }

  synchronized DiscordFault nextFault(String route) {
    Deque<DiscordFault> queue = faults.get(route);
    DiscordFault fault = queue == null ? null : queue.poll();
    if (fault != null && fault.status() >= 500) {
      serverErrorsServed++;
    }
    return fault;
  }

  // ---- records and faults for tests

  public synchronized List<BotMessage> botMessages(String channelId) {
    return botMessages.stream().filter(m -> m.channelId().equals(channelId)).toList();
  }

  public synchronized List<BotMessage> botMessages() {
    return List.copyOf(botMessages);
  }

  /** The channel id of a user's DM with the bot, or null before either wrote. */
  public synchronized String dmChannelId(String userId) {
    return dmByUser.get(userId);
  }

  public synchronized List<Typing> typing(String channelId) {
    return typing.stream().filter(t -> t.channelId().equals(channelId)).toList();
  }

  public synchronized List<Reaction> reactions() {
    return List.copyOf(reactions);
  }

  public synchronized List<Callback> callbacks() {
    return List.copyOf(callbacks);
  }

  public synchronized JsonArray commands() {
    return commands.copy();
  }

  public synchronized List<String> unhandled() {
    return List.copyOf(unhandled);
  }

  /**
   * What Prism flagged since this peer started: requests or answers that break Discord's spec. Two encodings JDA
   * uses in requests, and that Discord accepts, are left out, each matched narrowly: a snowflake as a JSON number
   * in {@code recipient_id} (opening a DM), and application-command {@code contexts} / {@code integration_types}
   * as numeric strings ("0", "1") where the spec has integers. Every answer the peer gives must be clean.
   */
  public List<String> violations() {
    if (prism == null) {
      return List.of();
    }
    List<String> found = new ArrayList<>(prism.linesSince(prismFrom).stream()
        .filter(l -> l.contains("Violation") || l.contains("✖"))
        .filter(l -> !TOLERATED.matcher(l).find()).toList());
    // The spec lists no 5xx answers; each 5xx the peer was told to give is one warning that is no violation.
    int served;
    synchronized (this) {
      served = serverErrorsServed;
    }
    for (int i = 0; i < served; i++) {
      found.stream().filter(l -> l.contains("Unable to match the returned status code")).findFirst()
          .ifPresent(found::remove);
    }
    return found;
  }

  private static final java.util.regex.Pattern TOLERATED = java.util.regex.Pattern.compile(
      "Violation: request\\.body\\.(recipient_id Request body property recipient_id "
          + "|\\d+\\.(contexts|integration_types)\\.\\d+ Request body property \\d+\\.(contexts|integration_types)\\.\\d+ )");

  /** What Prism flagged since the last call (or since the peer started): for a check after each test. */
  public synchronized List<String> newViolations() {
    List<String> all = violations();
    List<String> fresh = List.copyOf(all.subList(Math.min(violationsSeen, all.size()), all.size()));
    violationsSeen = all.size();
    return fresh;
  }

  /** Everything Prism printed since this peer started (for a failing test's message). */
  public List<String> prismLog() {
    return prism == null ? List.of() : prism.linesSince(prismFrom);
  }

  /**
   * The next {@code count} calls to a route answer with the fault: {@code messages} (posting a message, a command's
   * answer), {@code typing}, {@code reactions}, {@code threads}.
   */
  public synchronized void failNext(String route, int count, DiscordFault fault) {
    Deque<DiscordFault> queue = faults.computeIfAbsent(route, r -> new ArrayDeque<>());
    for (int i = 0; i < count; i++) {
      queue.add(fault);
    }
  }

  public void dropConnection() {
    gateway.dropAll();
  }

  public void refuseMessageContent(boolean refuse) {
    gateway.refuseMessageContent(refuse);
  }

  /** WebSocket connections the bot opened (each reconnect is one). */
  public int connections() {
    return gateway.connections();
  }

  public int identifies() {
    return gateway.identifies();
  }

  public int resumes() {
    return gateway.resumes();
  }

  /** Shard indexes the bot identified. */
  public List<Integer> shards() {
    return gateway.shards();
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing anyway
    }
    vertx.close();
  }
}
