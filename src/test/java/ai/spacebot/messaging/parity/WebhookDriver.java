package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.WebhookReceiver;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A generic webhook as the parity suite drives it: the other system posts people's messages to
 * {@code POST /api/webhook/parity/messages} with the webhook's bearer secret, and a real local
 * {@link WebhookReceiver} takes the bot's signed callbacks (and the typing events). A conversation is the other
 * system's conversation id; "the connection" is the callback receiver, which a drop takes down for a while.
 *
 * <p>Not generated: GROUPS (a webhook conversation has no mentions and no group modes: every message is addressed
 * to the bot), SPLIT (a reply is one callback with the whole Markdown; there is no length limit to split at) and
 * BAD_TOKEN (no remote platform checks a token; a secret reference that does not resolve stops the server at start
 * with a config error, which ConfigLoader's tests cover).
 */
public final class WebhookDriver implements PlatformDriver {
  static final String WEBHOOK = "parity";
  static final String SECRET = "parity-webhook-secret-0123456789";

  private final WebhookReceiver receiver;
  private final Map<String, JsonObject> posted = new ConcurrentHashMap<>();
  private Http http;

  public WebhookDriver() {
    this.receiver = WebhookReceiver.start();
  }

  public WebhookReceiver receiver() {
    return receiver;
  }

  @Override
  public String platform() {
    return "webhook";
  }

  @Override
  public int maxMessageLength() {
    return Integer.MAX_VALUE;
  }

  /** The secret comes in through an {@code env:} reference, as an operator would keep it out of the file. */
  @Override
  public Map<String, String> env() {
    return Map.of("PARITY_WEBHOOK_SECRET", SECRET);
  }

  @Override
  public Map<String, String> badTokenEnv() {
    throw new UnsupportedOperationException("a webhook has no platform that could refuse its secret");
  }

  @Override
  public String yaml() {
    return "messaging:\n  webhooks:\n    - id: " + WEBHOOK + "\n      secret: env:PARITY_WEBHOOK_SECRET\n"
        + "      callback_url: " + receiver.url() + "\n      typing_events: true\n      timeout_ms: 3000\n";
  }

  @Override
  public void attach(String appUrl) {
    http = new Http(appUrl);
  }

  @Override
  public Set<Scenario> unsupported() {
    return Set.of(Scenario.GROUPS, Scenario.SPLIT, Scenario.BAD_TOKEN);
  }

  @Override
  public Chat dm(String userId, String userName) {
    return new Chat("conversation-" + userId, "ticket-" + userId, true);
  }

  @Override
  public Chat group(String groupKey) {
    throw new UnsupportedOperationException("webhook conversations have no group modes");
  }

  @Override
  public List<String> groupIds() {
    return List.of();
  }

  @Override
  public String say(Chat chat, String userId, String userName, String text, boolean mentionBot) {
    String id = "m-" + UUID.randomUUID();
    JsonObject body = new JsonObject().put("conversation_id", chat.id()).put("sender_id", userId)
        .put("sender_name", userName).put("text", text).put("message_id", id);
    Http.Response r = http.post("/api/webhook/" + WEBHOOK + "/messages", body.encode(), auth());
    if (r.status() != 202) {
      throw new AssertionError("the webhook answered " + r.status() + ": " + r.body());
    }
    posted.put(id, body);
    return id;
  }

  @Override
  public void redeliver(Chat chat, String platformMessageId) {
    Http.Response r = http.post("/api/webhook/" + WEBHOOK + "/messages", posted.get(platformMessageId).encode(),
        auth());
    if (r.status() != 200 || !r.json().getBoolean("duplicate", false)) {
      throw new AssertionError("a redelivery should be acknowledged as a duplicate: " + r.status() + " " + r.body());
    }
  }

  @Override
  public List<String> botMessages(Chat chat) {
    return receiver.accepted("message", chat.id()).stream().map(a -> a.body().getString("text")).toList();
  }

  @Override
  public List<Posted> botMessagesTimed(Chat chat) {
    return receiver.accepted("message", chat.id()).stream()
        .map(a -> new Posted(a.body().getString("text"), a.atMillis())).toList();
  }

  @Override
  public List<Long> typing(Chat chat) {
    return receiver.accepted("typing", chat.id()).stream().map(WebhookReceiver.Arrival::atMillis).toList();
  }

  @Override
  public void failNextSends(int status, int retryAfterSeconds, int count) {
    receiver.failNext(status, retryAfterSeconds, count);
  }

  /** The receiver goes down for two seconds and comes back; replies meanwhile wait in the outbox. */
  @Override
  public void dropConnection() {
    receiver.bounce(2000);
  }

  @Override
  public int connections() {
    return receiver.starts();
  }

  @Override
  public String conversationId(Chat chat) {
    return "webhook:" + WEBHOOK + ":" + chat.id();
  }

  Map<String, String> auth() {
    return Map.of("Authorization", "Bearer " + SECRET);
  }

  @Override
  public void close() {
    receiver.close();
  }
}
