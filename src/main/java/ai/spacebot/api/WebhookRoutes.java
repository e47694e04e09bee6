package ai.spacebot.api;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.Addresses;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic webhooks' routes: {@code POST /api/webhook/{id}/messages} (a person's message from another system)
 * and {@code GET /api/webhook/{id}/conversations/{conversation}/messages?after=} (the bot's messages, for systems
 * that poll). They take the webhook's own bearer secret, not the operator token, so they are mounted before the
 * {@link ApiGuard} — and only when webhooks are configured, so without any every {@code /api} path stays the
 * guard's. The webhook adapter checks the secret and the body (it has the current config, also after the secret
 * store is unlocked), stores the message and answers; these routes only carry the request over the bus.
 */
final class WebhookRoutes {
  private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);
  static final String POST = "/api/webhook/:webhook/messages";
  static final String POLL = "/api/webhook/:webhook/conversations/:conversation/messages";
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(15_000);

  private final Vertx vertx;
  private final SpacebotConfig config;

  WebhookRoutes(Vertx vertx, SpacebotConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  void mount(Router router) {
    if (config.messaging().webhooks().isEmpty()) {
      return;
    }
    router.post(POST).handler(BodyHandler.create(false).setBodyLimit(config.api().maxBodyBytes())).handler(this::post);
    router.get(POLL).handler(this::poll);
  }

  private void post(RoutingContext ctx) {
    JsonObject ask = new JsonObject().put("action", "post").put("webhook_id", ctx.pathParam("webhook"))
        .put("authorization", ctx.request().getHeader("Authorization"))
        .put("body", ctx.body() == null ? null : ctx.body().asString());
    vertx.eventBus().<JsonObject>request(Addresses.webhook("webhook"), ask, ASK).onComplete(ar -> {
      if (ar.succeeded()) {
        Accepted accepted = Accepted.fromJson(ar.result().body());
        // 202: stored, the turn runs later; a retried message_id is acknowledged again with duplicate:true.
        Replies.json(ctx, accepted.duplicate() ? 200 : 202, new JsonObject().put("ok", true)
            .put("message_id", accepted.messageId()).put("duplicate", accepted.duplicate()));
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  private void poll(RoutingContext ctx) {
    JsonObject ask = new JsonObject().put("action", "poll").put("webhook_id", ctx.pathParam("webhook"))
        .put("authorization", ctx.request().getHeader("Authorization"))
        .put("conversation_id", ctx.pathParam("conversation"))
        .put("after", ctx.request().getParam("after")).put("limit", ctx.request().getParam("limit"));
    vertx.eventBus().<JsonObject>request(Addresses.webhook("webhook"), ask, ASK).onComplete(ar -> {
      if (ar.succeeded()) {
        Replies.json(ctx, 200, ar.result().body());
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  private static void failed(RoutingContext ctx, Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() >= 400 && re.failureCode() < 600 && re.getMessage() != null
        && re.getMessage().startsWith("{")) {
      JsonObject body;
      try {
        body = new JsonObject(re.getMessage());
      } catch (DecodeException e) {
        body = new JsonObject().put("error", "the webhook adapter refused the request");
      }
      if (re.failureCode() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
      Replies.json(ctx, re.failureCode(), body);
    } else if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      ApiError.send(ctx, 503, null, "the webhook adapter is not running (yet); please retry");
    } else {
      log.warn("A webhook request got no answer from the adapter: {}", err.getMessage());
      ApiError.send(ctx, 503, null, "the message could not be handled right now; please retry");
    }
  }
}
