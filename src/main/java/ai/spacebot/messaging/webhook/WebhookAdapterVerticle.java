package ai.spacebot.messaging.webhook;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.WebhookConfig;
import ai.spacebot.messaging.AdapterVerticle;
import ai.spacebot.messaging.Capabilities;
import ai.spacebot.messaging.format.Dialect;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;

/**
 * The generic webhook adapter: one verticle for every configured {@code messaging.webhooks} entry, platform
 * {@code webhook}, conversations {@code webhook:{id}:{conversation}}. The API server hands it each request over
 * the bus ({@link Addresses#webhook(String)}): {@code post} (a person's message: the bearer secret checked, the body
 * read by {@link WebhookInbound}, stored and deduplicated by {@code message_id} before the answer) and {@code poll}
 * (the bot's messages of a conversation after a cursor, from the outbox). Replies go out as {@link WebhookSender}'s
 * signed callbacks. There is no remote connection: the adapter is connected once its config is read, and a callback
 * that is down only fails deliveries (which the outbox retries).
 */
public final class WebhookAdapterVerticle extends AdapterVerticle {
  public static final String PLATFORM = WebhookTarget.PLATFORM;
  private static final Capabilities CAPABILITIES = new Capabilities(Integer.MAX_VALUE, Dialect.PLAIN, 4000, false,
      false, false, false, false);

  private final SpacebotConfig config;
  private final WebhookInbound inbound;
  private WebClient client;
  private WebhookSender sender;
  private MessageConsumer<JsonObject> requests;

  public WebhookAdapterVerticle(SpacebotConfig config, MeterRegistry registry) {
    super(registry);
    this.config = config;
    this.inbound = new WebhookInbound(config);
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  protected boolean enabled() {
    return !config.messaging().webhooks().isEmpty();
  }

  @Override
  protected String disabledHint() {
    return "add a webhook under messaging.webhooks (id, secret, callback_url)";
  }

  @Override
  protected Future<Void> connect() {
    sender();
    requests = vertx.eventBus().consumer(Addresses.webhook(PLATFORM), this::onRequest);
    return requests.completion();
  }

  @Override
  protected Future<Void> disconnect() {
    Future<Void> unregistered = requests == null ? Future.succeededFuture() : requests.unregister();
    requests = null;
    if (client != null) {
      client.close();
      client = null;
      sender = null;
    }
    return unregistered;
  }

  /** {action, webhook_id, authorization, ...}: answered with the reply the API sends on, or a {@link Rejection}. */
  private void onRequest(Message<JsonObject> msg) {
    JsonObject ask = msg.body();
    try {
      WebhookConfig webhook = config.messaging().webhook(ask.getString("webhook_id", "")).orElseThrow(() ->
          new Rejection(404, null, "no webhook of this id is configured"));
      String bearer = bearer(ask.getString("authorization"));
      if (!WebhookSignature.sameSecret(bearer, webhook.secret())) {
        throw Rejection.unauthorized();
      }
      if ("poll".equals(ask.getString("action"))) {
        poll(webhook, ask, msg);
      } else {
        post(webhook, ask.getString("body"), msg);
      }
    } catch (Rejection r) {
      r.replyTo(msg);
    }
  }

  private void post(WebhookConfig webhook, String body, Message<JsonObject> msg) {
    InboundMessage message = inbound.read(webhook, body);
    submit(message).onSuccess(a -> msg.reply(a.toJson()))
        .onFailure(err -> new Rejection(503, null, "the message could not be stored right now; please retry")
            .replyTo(msg));
  }

  private void poll(WebhookConfig webhook, JsonObject ask, Message<JsonObject> msg) {
    String conversation = ask.getString("conversation_id", "");
    if (!WebhookTarget.CONVERSATION.matcher(conversation).matches()) {
      throw Rejection.badRequest("conversation_id", "conversation_id must be 1-200 of A-Z a-z 0-9 . _ : @ + -");
    }
    long after = number(ask.getString("after"), "after", 0, Long.MAX_VALUE, 0);
    long limit = number(ask.getString("limit"), "limit", 1, 1000, 100);
    JsonObject query = new JsonObject().put("conversation_id", new WebhookTarget(webhook.id(), conversation)
        .conversationId()).put("after", after).put("limit", (int) limit);
    vertx.eventBus().<JsonObject>request(Addresses.OUTBOX_AFTER, query).onComplete(ar -> {
      if (ar.failed()) {
        new Rejection(503, null, "the outbox is not available right now; please retry").replyTo(msg);
        return;
      }
      JsonObject page = ar.result().body();
      JsonObject reply = new JsonObject().put("webhook_id", webhook.id()).put("conversation_id", conversation)
          .put("messages", page.getJsonArray("messages")).put("next_cursor", page.getLong("next_cursor"));
      msg.reply(reply);
    });
  }

  private static long number(String value, String field, long min, long max, long fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Rejection.badRequest(field, field + " must be a whole number from " + min + " to " + max);
  }

  private static String bearer(String header) {
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  @Override
  protected List<Step> plan(OutboundMessage message) {
    return sender().plan(message);
  }

  @Override
  protected void sendTyping(String conversationId) {
    sender().typing(conversationId);
  }

  private WebhookSender sender() {
    if (sender == null) {
      // Redirects are not followed: a callback that moved must be reconfigured, not silently re-signed elsewhere.
      client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000).setUserAgent("Spacebot-Webhook")
          .setFollowRedirects(false));
      sender = new WebhookSender(config, client);
    }
    return sender;
  }
}
