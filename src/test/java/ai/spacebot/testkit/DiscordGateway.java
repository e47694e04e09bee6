package ai.spacebot.testkit;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The Discord gateway as a bot sees it, over a real WebSocket (JSON encoding, no compression): HELLO, IDENTIFY →
 * READY and a GUILD_CREATE per guild of the shard, heartbeats acknowledged, dispatches numbered per session, RESUME
 * replaying what the session missed (then RESUMED), INVALID_SESSION for an unknown session. Closes with 4004 for a
 * wrong token and 4014 when the Message Content intent is refused, as Discord does. A dropped connection (close
 * 4000) leaves the session resumable; events dispatched meanwhile are kept for the resume.
 */
final class DiscordGateway {
  /** Gateway intent bit of Message Content (privileged). */
  static final int MESSAGE_CONTENT = 1 << 15;

  /** One gateway session (one shard of one identify), resumable across connections. */
  private static final class Session {
    final String id = UUID.randomUUID().toString().replace("-", "");
    final int shard;
    final int shards;
    final List<JsonObject> sent = new ArrayList<>();
    ServerWebSocket socket;

    Session(int shard, int shards) {
      this.shard = shard;
      this.shards = shards;
    }
  }

  private final String token;
  private final String url;
  private final JsonObject self;
  private final String applicationId;
  /** The GUILD_CREATE payloads of the guilds on a shard, given shard index and count. */
  private final Function<int[], List<JsonObject>> guildsOf;
  private final Map<String, Session> sessions = new HashMap<>();
  /** The newest session of each shard index: where its dispatches go. */
  private final Map<Integer, Session> byShard = new HashMap<>();
  private int connections;
  private int identifies;
  private int resumes;
  private boolean refuseMessageContent;

  DiscordGateway(String token, String url, JsonObject self, String applicationId,
      Function<int[], List<JsonObject>> guildsOf) {
    this.token = token;
    this.url = url;
    this.self = self;
    this.applicationId = applicationId;
    this.guildsOf = guildsOf;
  }

  synchronized void accept(ServerWebSocket ws) {
    connections++;
    ws.textMessageHandler(text -> onFrame(ws, new JsonObject(text)));
    ws.closeHandler(v -> detach(ws));
    ws.writeTextMessage(new JsonObject().put("op", 10).put("d", new JsonObject().put("heartbeat_interval", 41250))
        .put("s", null).put("t", null).encode());
  }

  private synchronized void onFrame(ServerWebSocket ws, JsonObject frame) {
    JsonObject d = frame.getValue("d") instanceof JsonObject o ? o : new JsonObject();
    switch (frame.getInteger("op", -1)) {
      case 1 -> ws.writeTextMessage(new JsonObject().put("op", 11).encode());
      case 2 -> identify(ws, d);
      case 6 -> resume(ws, d);
      default -> { } // presence, voice state, member requests: nothing to answer
    }
  }

  private void identify(ServerWebSocket ws, JsonObject d) {
    identifies++;
    if (!token.equals(strip(d.getString("token")))) {
      ws.close((short) 4004, "Authentication failed.");
      return;
    }
    if (refuseMessageContent && (d.getInteger("intents", 0) & MESSAGE_CONTENT) != 0) {
      ws.close((short) 4014, "Disallowed intent(s).");
      return;
    }
    JsonArray shard = d.getJsonArray("shard", new JsonArray().add(0).add(1));
    Session s = new Session(shard.getInteger(0), shard.getInteger(1));
    s.socket = ws;
    sessions.put(s.id, s);
    byShard.put(s.shard, s);
    List<JsonObject> guilds = guildsOf.apply(new int[] {s.shard, s.shards});
    JsonArray unavailable = new JsonArray();
    guilds.forEach(g -> unavailable.add(new JsonObject().put("id", g.getString("id")).put("unavailable", true)));
    send(s, "READY", new JsonObject().put("v", 10).put("user", self.copy()).put("guilds", unavailable)
        .put("session_id", s.id).put("resume_gateway_url", url).put("session_type", "normal")
        .put("shard", shard).put("private_channels", new JsonArray()).put("relationships", new JsonArray())
        .put("presences", new JsonArray()).put("guild_join_requests", new JsonArray())
        .put("geo_ordered_rtc_regions", new JsonArray()).put("user_settings", new JsonObject())
        .put("application", new JsonObject().put("id", applicationId).put("flags", 0)));
    guilds.forEach(g -> send(s, "GUILD_CREATE", g));
  }

  private void resume(ServerWebSocket ws, JsonObject d) {
    resumes++;
    Session s = sessions.get(d.getString("session_id"));
    if (s == null || !token.equals(strip(d.getString("token")))) {
      ws.writeTextMessage(new JsonObject().put("op", 9).put("d", false).encode());
      return;
    }
    s.socket = ws;
    long seen = d.getLong("seq", 0L);
    for (JsonObject event : s.sent) {
      if (event.getLong("s") > seen) {
        ws.writeTextMessage(event.encode());
      }
    }
    send(s, "RESUMED", new JsonObject());
  }

  private synchronized void detach(ServerWebSocket ws) {
    sessions.values().stream().filter(s -> s.socket == ws).forEach(s -> s.socket = null);
  }

  /**
   * Sends an event to the shard that holds the guild (DMs: shard 0), or keeps it for a resume when that shard is
   * not connected. Returns false when no session was ever identified for it.
   */
  synchronized boolean dispatch(String guildId, String type, JsonObject data) {
    int shards = byShard.values().stream().mapToInt(s -> s.shards).max().orElse(1);
    int shard = guildId == null ? 0 : (int) ((Long.parseLong(guildId) >> 22) % shards);
    Session s = byShard.get(shard);
    if (s == null) {
      return false;
    }
    send(s, type, data);
    return true;
  }

  private void send(Session s, String type, JsonObject data) {
    JsonObject event = new JsonObject().put("op", 0).put("t", type).put("s", s.sent.size() + 1).put("d", data);
    s.sent.add(event);
    if (s.socket != null) {
      s.socket.writeTextMessage(event.encode());
    }
  }

  /** Closes every open connection with 4000 (Unknown error), as a dropped connection looks to the bot. */
  synchronized void dropAll() {
    for (Session s : sessions.values()) {
      if (s.socket != null) {
        s.socket.close((short) 4000, "Unknown error");
        s.socket = null;
      }
    }
  }

  synchronized void refuseMessageContent(boolean refuse) {
    this.refuseMessageContent = refuse;
  }

  synchronized int connections() {
    return connections;
  }

  synchronized int identifies() {
    return identifies;
  }

  synchronized int resumes() {
    return resumes;
  }

  /** Shard indexes with an identified session. */
  synchronized List<Integer> shards() {
    return byShard.keySet().stream().sorted().toList();
  }

  private static String strip(String token) {
    return token != null && token.startsWith("Bot ") ? token.substring(4) : token;
  }
}
