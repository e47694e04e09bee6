package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The web chat as the parity suite drives it: the browser's own calls ({@code POST /api/portal/send} with a
 * client message id, the history, the event stream). It has no groups, limits, faults or connection of its own,
 * so those scenarios do not apply.
 */
final class PortalDriver implements PlatformDriver {
  private Http http;
  private SseClient events;

  @Override
  public String platform() {
    return "portal";
  }

  @Override
  public int maxMessageLength() {
    return Integer.MAX_VALUE;
  }

  @Override
  public Map<String, String> env() {
    return Map.of();
  }

  @Override
  public Map<String, String> badTokenEnv() {
    throw new UnsupportedOperationException("the web chat has no token");
  }

  @Override
  public String yaml() {
    return "";
  }

  @Override
  public void attach(String appUrl) {
    http = new Http(appUrl);
    if (events != null) {
      events.close();
    }
    events = SseClient.connect(appUrl + "/api/events");
  }

  @Override
  public Set<Scenario> unsupported() {
    return Set.of(Scenario.GROUPS, Scenario.RATE_LIMIT, Scenario.SERVER_ERROR, Scenario.FORBIDDEN,
        Scenario.DROP_CONNECTION, Scenario.BAD_TOKEN, Scenario.SPLIT);
  }

  @Override
  public Chat dm(String userId, String userName) {
    String session = "parity-" + userId + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new Chat(session, session, true);
  }

  @Override
  public Chat group(String groupKey) {
    throw new UnsupportedOperationException("the web chat has no groups");
  }

  @Override
  public List<String> groupIds() {
    return List.of();
  }

  @Override
  public String say(Chat chat, String userId, String userName, String text, boolean mentionBot) {
    String id = UUID.randomUUID().toString();
    send(chat, userName, text, id);
    return id;
  }

  private void send(Chat chat, String userName, String text, String clientId) {
    Http.Response response = http.postJson("/api/portal/send", new JsonObject().put("agent_id", "main")
        .put("session_id", chat.id()).put("sender_name", userName).put("message", text).put("client_message_id", clientId));
    if (response.status() != 200) {
      throw new AssertionError("portal send answered " + response.status() + ": " + response.body());
    }
  }

  @Override
  public void redeliver(Chat chat, String platformMessageId) {
    send(chat, "again", "redelivered", platformMessageId);
  }

  @Override
  public List<String> botMessages(Chat chat) {
    JsonArray messages = http.get("/api/portal/history?agent_id=main&session_id=" + chat.id() + "&limit=1000").json()
        .getJsonArray("messages");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      if ("outbound".equals(m.getString("direction")) && "delivered".equals(m.getString("status"))) {
        out.add(m.getString("text"));
      }
    }
    return out;
  }

  @Override
  public List<Long> typing(Chat chat) {
    List<Long> out = new ArrayList<>();
    for (SseEvent e : events.events()) {
      if (e.event().equals("typing_state") && conversationId(chat).equals(e.json().getString("channel_id"))
          && e.json().getBoolean("is_typing")) {
        out.add(e.json().getLong("timestamp", 0L));
      }
    }
    return out;
  }

  @Override
  public void failNextSends(int status, int retryAfterSeconds, int count) {
    throw new UnsupportedOperationException("the web chat cannot fail a send");
  }

  @Override
  public void dropConnection() {
    throw new UnsupportedOperationException("the web chat has no platform connection");
  }

  @Override
  public int connections() {
    return 1;
  }

  @Override
  public String conversationId(Chat chat) {
    return "portal:chat:main:" + chat.id();
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
  }
}
