package ai.spacebot.testkit;

import com.slack.api.app_backend.SlackSignature;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Slack for the tests, seen from the people in it: the Web API is npm {@code emulate} (its messages, threads,
 * reactions and users are real state: what the bot posted is read back with {@code conversations.history} and
 * {@code conversations.replies}) behind {@link SlackProxy} (records, faults, rate limits, refused tokens), and Slack's
 * push side is ours, since emulate cannot push: signed Events API requests POSTed to the app's {@code /slack/events}
 * ({@link Mode#EVENTS}), or envelopes over {@link SlackSocketServer} ({@link Mode#SOCKET}). A person's message is
 * first posted to emulate with their own token, so it has a real {@code ts} the bot can thread and react on.
 */
public final class SlackPeer implements AutoCloseable {
  public enum Mode { SOCKET, EVENTS }

  public static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  public static final String BOT_TOKEN = "xoxb-1000-spacebot-test";
  public static final String APP_TOKEN = "xapp-1-A000000001-spacebot-test";
  public static final String REFUSED_TOKEN = "xoxb-9999-refused";
  public static final String TEAM = SlackEmulator.TEAM;
  public static final String BOT_USER = SlackEmulator.BOT_USER;

  private final Vertx vertx;
  private final SlackEmulator emulator;
  private final SlackProxy proxy;
  private final SlackSocketServer socket;
  private final Mode mode;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, String> userIds = new ConcurrentHashMap<>();
  private final Map<String, String> channelIds = new ConcurrentHashMap<>();
  private volatile String appUrl;
  private final java.util.concurrent.atomic.AtomicInteger readers = new java.util.concurrent.atomic.AtomicInteger();

  private SlackPeer(Vertx vertx, SlackEmulator emulator, SlackProxy proxy, SlackSocketServer socket, Mode mode) {
    this.vertx = vertx;
    this.emulator = emulator;
    this.proxy = proxy;
    this.socket = socket;
    this.mode = mode;
  }

  /**
   * @param users people to seed (names; each gets the token {@code xoxp-<name>})
   * @param channels public channels to seed; those starting with {@code private-} are private
   */
  public static SlackPeer start(Mode mode, List<String> users, List<String> channels) throws Exception {
    StringBuilder seed = new StringBuilder("slack:\n  team:\n    name: Spacebot Test\n    domain: spacebot-test\n")
        .append("  signing_secret: ").append(SIGNING_SECRET).append("\n  users:\n");
    for (String u : users) {
      seed.append("    - name: ").append(u).append("\n      real_name: ").append(Character.toUpperCase(u.charAt(0)))
          .append(u.substring(1)).append(" Person\n");
    }
    seed.append("  channels:\n");
    for (String c : channels) {
      seed.append("    - name: ").append(c).append("\n      is_private: ").append(c.startsWith("private-")).append('\n');
    }
    seed.append("  tokens:\n");
    for (String u : users) {
      seed.append("    - token: xoxp-").append(u).append("\n      user: ").append(u).append('\n');
    }
    Vertx vertx = Vertx.vertx();
    SlackEmulator emulator = SlackEmulator.start(seed.toString());
    SlackProxy proxy = SlackProxy.start(vertx, Integer.parseInt(emulator.url().replaceAll(".*:", "")));
    SlackSocketServer socket = SlackSocketServer.start(vertx);
    proxy.socketUrl(socket.url());
    proxy.refuseToken(REFUSED_TOKEN);
    return new SlackPeer(vertx, emulator, proxy, socket, mode);
  }

  public Mode mode() {
    return mode;
  }

  public SlackProxy proxy() {
    return proxy;
  }

  public SlackSocketServer socket() {
    return socket;
  }

  public SlackEmulator emulator() {
    return emulator;
  }

  /** Environment that points the app's Slack adapter here. */
  public Map<String, String> env(String botToken) {
    return mode == Mode.SOCKET
        ? Map.of("SLACK_BOT_TOKEN", botToken, "SLACK_APP_TOKEN", APP_TOKEN, "SLACK_API_URL", proxy.apiUrl())
        : Map.of("SLACK_BOT_TOKEN", botToken, "SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_MODE", "events",
            "SLACK_API_URL", proxy.apiUrl());
  }

  public void attach(String appUrl) {
    this.appUrl = appUrl;
  }

  public String userId(String name) {
    String known = userIds.get(name);
    if (known != null) {
      return known;
    }
    // One page of up to 1000 people: every seeded one.
    JsonArray members = emulator.ok("users.list", BOT_TOKEN, new JsonObject().put("limit", 1000))
        .getJsonArray("members");
    for (Object o : members) {
      JsonObject u = (JsonObject) o;
      userIds.put(u.getString("name"), u.getString("id"));
    }
    known = userIds.get(name);
    if (known == null) {
      throw new IllegalArgumentException("no Slack user " + name + " (of " + members.size() + ")");
    }
    return known;
  }

  public String channelId(String name) {
    return channelIds.computeIfAbsent(name, n -> {
      JsonArray list = emulator.ok("conversations.list", BOT_TOKEN, new JsonObject()
          .put("types", "public_channel,private_channel").put("limit", 1000)).getJsonArray("channels");
      for (Object o : list) {
        JsonObject c = (JsonObject) o;
        if (n.equals(c.getString("name"))) {
          return c.getString("id");
        }
      }
      throw new IllegalArgumentException("no Slack channel " + n);
    });
  }

  /** The bot's IM channel with a person (opened as Slack opens it when they first write). */
  public String dmChannel(String userName) {
    return channelIds.computeIfAbsent("dm:" + userName, k -> emulator.ok("conversations.open", BOT_TOKEN,
        new JsonObject().put("users", userId(userName))).getJsonObject("channel").getString("id"));
  }

  /** A person posts in a channel (or thread) with their own token; returns the message's ts. */
  public String post(String userName, String channel, String text, String threadTs) {
    JsonObject params = new JsonObject().put("channel", channel).put("text", text);
    if (threadTs != null) {
      params.put("thread_ts", threadTs);
    }
    return emulator.ok("chat.postMessage", "xoxp-" + userName, params).getString("ts");
  }

  /** Slack's {@code message} event for a person's message. */
  public JsonObject messageEvent(String userName, String channel, String text, String ts, String threadTs) {
    JsonObject e = new JsonObject().put("type", "message").put("channel", channel).put("user", userId(userName))
        .put("text", text).put("ts", ts).put("event_ts", ts).put("team", TEAM)
        .put("channel_type", channel.startsWith("D") ? "im" : channel.startsWith("G") ? "group" : "channel");
    if (threadTs != null) {
      e.put("thread_ts", threadTs);
    }
    return e;
  }

  /** Slack's {@code app_mention} event: the same message, as an app subscribed to mentions gets it too. */
  public JsonObject mentionEvent(String userName, String channel, String text, String ts, String threadTs) {
    JsonObject e = messageEvent(userName, channel, text, ts, threadTs).put("type", "app_mention");
    e.remove("channel_type");
    return e;
  }

  /** The {@code event_callback} that carries an event (a new event id each call, as Slack's copies have). */
  public JsonObject callback(JsonObject event) {
    return new JsonObject().put("token", "verification-token").put("team_id", TEAM).put("api_app_id", "A000000001")
        .put("event", event).put("type", "event_callback").put("event_id", "Ev" + UUID.randomUUID().toString()
            .replace("-", "").substring(0, 10).toUpperCase()).put("event_time", Instant.now().getEpochSecond())
        .put("authorizations", new JsonArray().add(new JsonObject().put("team_id", TEAM).put("user_id", BOT_USER)
            .put("is_bot", true)));
  }

  /** What Slack's side answered to a push: an HTTP status, or a Socket Mode ack (200 once acked). */
  public record Pushed(int status, String body, String envelopeId) {}

  /** Delivers an event callback the way this peer's mode does; {@code retry} > 0 marks it as Slack's retry. */
  public Pushed deliver(JsonObject callback, int retry) {
    if (mode == Mode.SOCKET) {
      return new Pushed(0, null, socket.send("events_api", callback, retry));
    }
    return postSigned(callback.encode(), "application/json", retry, SIGNING_SECRET, Instant.now().getEpochSecond());
  }

  /** A button click ({@code block_actions}) on one of the bot's messages. */
  public Pushed click(String userName, String channel, String messageTs, String threadTs, String actionId,
      String blockId, String label) {
    JsonObject container = new JsonObject().put("type", "message").put("message_ts", messageTs)
        .put("channel_id", channel).put("is_ephemeral", false);
    JsonObject message = new JsonObject().put("type", "message").put("ts", messageTs).put("user", BOT_USER)
        .put("text", label);
    if (threadTs != null) {
      container.put("thread_ts", threadTs);
      message.put("thread_ts", threadTs);
    }
    String now = Instant.now().getEpochSecond() + "." + String.format("%06d", (System.nanoTime() / 1000) % 1_000_000);
    JsonObject payload = new JsonObject().put("type", "block_actions")
        .put("user", new JsonObject().put("id", userId(userName)).put("username", userName).put("name", userName)
            .put("team_id", TEAM))
        .put("api_app_id", "A000000001").put("token", "verification-token").put("container", container)
        .put("trigger_id", "1.2.abc" + UUID.randomUUID()).put("team", new JsonObject().put("id", TEAM)
            .put("domain", "spacebot-test"))
        .put("channel", new JsonObject().put("id", channel).put("name", "chan")).put("message", message)
        .put("response_url", "http://127.0.0.1:1/actions/unused")
        .put("actions", new JsonArray().add(new JsonObject().put("action_id", actionId).put("block_id", blockId)
            .put("text", new JsonObject().put("type", "plain_text").put("text", label)).put("value", actionId)
            .put("type", "button").put("action_ts", now)));
    if (mode == Mode.SOCKET) {
      return new Pushed(0, null, socket.send("interactive", payload, 0));
    }
    return postSigned("payload=" + URLEncoder.encode(payload.encode(), StandardCharsets.UTF_8),
        "application/x-www-form-urlencoded", 0, SIGNING_SECRET, Instant.now().getEpochSecond());
  }

  /** A person types {@code /spacebot <text>} in a channel. */
  public Pushed command(String userName, String channel, String text) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("token", "verification-token");
    fields.put("team_id", TEAM);
    fields.put("team_domain", "spacebot-test");
    fields.put("channel_id", channel);
    fields.put("channel_name", "chan");
    fields.put("user_id", userId(userName));
    fields.put("user_name", userName);
    fields.put("command", "/spacebot");
    fields.put("text", text);
    fields.put("api_app_id", "A000000001");
    fields.put("response_url", "http://127.0.0.1:1/commands/unused");
    fields.put("trigger_id", "1.2.cmd" + UUID.randomUUID());
    if (mode == Mode.SOCKET) {
      JsonObject payload = new JsonObject();
      fields.forEach(payload::put);
      return new Pushed(0, null, socket.send("slash_commands", payload, 0));
    }
    String body = fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
        StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return postSigned(body, "application/x-www-form-urlencoded", 0, SIGNING_SECRET, Instant.now().getEpochSecond());
  }

  /** POSTs to the app's {@code /slack/events}, signed with {@code secret} at {@code timestamp} (epoch seconds). */
  public Pushed postSigned(String body, String contentType, int retry, String secret, long timestamp) {
    String ts = String.valueOf(timestamp);
    String signature = new SlackSignature.Generator(secret).generate(ts, body);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(appUrl + "/slack/events"))
        .timeout(Duration.ofSeconds(10)).header("content-type", contentType)
        .header("x-slack-request-timestamp", ts).header("x-slack-signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (retry > 0) {
      b.header("x-slack-retry-num", String.valueOf(retry)).header("x-slack-retry-reason", "http_timeout");
    }
    try {
      HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Pushed(res.statusCode(), res.body(), null);
    } catch (IOException e) {
      throw new IllegalStateException("POST /slack/events: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A message as a channel shows it. */
  public record Posted(String ts, String threadTs, String user, String text, JsonArray blocks, JsonArray reactions) {}

  /** A token to read with: emulate allows each token 5000 calls an hour, so reads go round a hundred of them. */
  private String reader() {
    return "xoxb-reader-" + readers.getAndIncrement() % 100;
  }

  /** Every message in the channel, threads included, oldest first. */
  public List<Posted> messages(String channel) {
    List<Posted> out = new ArrayList<>();
    JsonArray history = emulator.ok("conversations.history", reader(), new JsonObject().put("channel", channel)
        .put("limit", 1000)).getJsonArray("messages");
    for (Object o : history) {
      JsonObject m = (JsonObject) o;
      out.add(posted(m));
      if (m.getInteger("reply_count", 0) > 0) {
        JsonArray replies = emulator.ok("conversations.replies", reader(), new JsonObject().put("channel", channel)
            .put("ts", m.getString("ts")).put("limit", 1000)).getJsonArray("messages");
        for (Object r : replies) {
          JsonObject reply = (JsonObject) r;
          if (!reply.getString("ts").equals(m.getString("ts"))) {
            out.add(posted(reply));
          }
        }
      }
    }
    out.sort(Comparator.comparing(p -> Double.parseDouble(p.ts())));
    return out;
  }

  /** What the bot posted in the channel, threads included, oldest first. */
  public List<Posted> botMessages(String channel) {
    return messages(channel).stream().filter(p -> BOT_USER.equals(p.user())).toList();
  }

  private static Posted posted(JsonObject m) {
    return new Posted(m.getString("ts"), m.getString("thread_ts"), m.getString("user"), m.getString("text", ""),
        m.getJsonArray("blocks"), m.getJsonArray("reactions"));
  }

  /** The reactions on one message now. */
  public JsonArray reactions(String channel, String ts) {
    JsonObject r = emulator.ok("reactions.get", reader(), new JsonObject().put("channel", channel).put("timestamp", ts));
    JsonArray reactions = r.getJsonObject("message", new JsonObject()).getJsonArray("reactions");
    return reactions == null ? new JsonArray() : reactions;
  }

  @Override
  public void close() {
    socket.close();
    proxy.close();
    emulator.close();
    vertx.close();
  }
}
