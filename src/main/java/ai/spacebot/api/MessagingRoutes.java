package ai.spacebot.api;

import ai.spacebot.bus.Addresses;
import ai.spacebot.config.SlackConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.TelegramConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The adapters' routes: their status, the deliveries (and retrying failed ones), and platform webhooks. */
final class MessagingRoutes {
  private static final Set<String> STATES = Set.of("pending", "delivered", "failed");
  private static final DeliveryOptions WEBHOOK = new DeliveryOptions().setSendTimeout(10_000);

  private MessagingRoutes() {}

  /** {@code GET /api/adapters}: every adapter's state, reconnects, messages in and out and last error. */
  static void adapters(Vertx vertx, RoutingContext ctx) {
    vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.ADAPTERS_MAP)
        .compose(map -> map.entries())
        .onSuccess(entries -> {
          List<JsonObject> list = new ArrayList<>(entries.values());
          list.sort(Comparator.comparing(o -> o.getString("name")));
          ctx.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("adapters", new JsonArray(list)).encode());
        })
        .onFailure(err -> ApiError.send(ctx, 503, null, "adapter status is not available; please retry"));
  }

  /** The query of {@code GET /api/deliveries}, checked. */
  static JsonObject deliveriesQuery(RoutingContext ctx) {
    JsonObject ask = new JsonObject();
    // Both filters are optional (queryParam would demand them).
    String state = ctx.request().getParam("state");
    if (state != null) {
      if (!STATES.contains(state)) {
        throw ApiError.badRequest("state", "state must be pending, delivered or failed");
      }
      ask.put("state", state);
    }
    String platform = ctx.request().getParam("platform");
    if (platform != null) {
      ask.put("platform", platform);
    }
    return ask.put("limit", PortalRequests.intParam(ctx, "limit", 100, 1, 1000));
  }

  /**
   * Telegram's webhook (mode {@code webhook}): served on the webhook URL's path, outside {@code /api} (Telegram
   * sends no bearer token; its secret header is checked by the adapter). The update goes to the adapter, which
   * answers once it is stored, so Telegram redelivers what we could not keep.
   */
  static void telegramWebhook(Router router, Vertx vertx, SpacebotConfig config, long maxBodyBytes) {
    TelegramConfig telegram = config.messaging().telegram();
    if (!telegram.enabled() || !TelegramConfig.WEBHOOK.equals(telegram.mode())) {
      return;
    }
    String path = URI.create(telegram.webhookUrl()).getPath();
    router.post(path == null || path.isEmpty() ? "/" : path).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(ctx -> {
          JsonObject ask = new JsonObject()
              .put("secret", ctx.request().getHeader("X-Telegram-Bot-Api-Secret-Token"))
              .put("body", ctx.body() == null ? null : ctx.body().asString());
          vertx.eventBus().<JsonObject>request(Addresses.webhook("telegram"), ask, WEBHOOK).onComplete(ar -> {
            if (ar.succeeded()) {
              ctx.response().setStatusCode(200).end();
            } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 401) {
              ApiError.send(ctx, 401, null, "unauthorized");
            } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 400) {
              ApiError.send(ctx, 400, null, re.getMessage());
            } else {
              // Telegram retries a non-2xx answer: nothing is lost.
              ApiError.send(ctx, 503, null, "the update could not be stored; it will be retried");
            }
          });
        });
  }

  /**
   * Slack's Events API (mode {@code events}): events, interactive payloads (button clicks) and slash commands all
   * POST here, outside {@code /api} (Slack signs them instead of sending a bearer token). Headers and raw body go to
   * the adapter that leads, whose Bolt app checks the signature and timestamp (401), answers URL verification, and
   * stores a message before the 200, so Slack retries what we could not keep.
   */
  static void slackEvents(Router router, Vertx vertx, SpacebotConfig config, long maxBodyBytes) {
    SlackConfig slack = config.messaging().slack();
    if (slack == null || !slack.enabled() || !slack.events()) {
      return;
    }
    router.post(SLACK_EVENTS).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(ctx -> {
      JsonObject headers = new JsonObject();
      ctx.request().headers().forEach(h -> {
        String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
        JsonArray values = headers.getJsonArray(name);
        if (values == null) {
          headers.put(name, values = new JsonArray());
        }
        values.add(h.getValue());
      });
      JsonObject ask = new JsonObject().put("headers", headers).put("uri", ctx.request().path())
          .put("remote", ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress())
          .put("body", ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString());
      vertx.eventBus().<JsonObject>request(Addresses.webhook("slack"), ask, WEBHOOK).onComplete(ar -> {
        if (ar.failed()) {
          // Slack retries a non-2xx answer: nothing is lost.
          ApiError.send(ctx, 503, null, "the request could not be handled; it will be retried");
          return;
        }
        JsonObject r = ar.result().body();
        int status = r.getInteger("status", 200);
        if (status == 401) {
          ApiError.send(ctx, 401, null, "unauthorized: the X-Slack-Signature or X-Slack-Request-Timestamp is not valid");
          return;
        }
        if (status == 400) {
          ApiError.send(ctx, 400, null, "not a Slack request: expected an event, a command or an interaction payload");
          return;
        }
        String body = r.getString("body");
        ctx.response().setStatusCode(status);
        if (body != null && !body.isEmpty()) {
          ctx.response().putHeader("Content-Type", r.getString("content_type", "text/plain; charset=utf-8")).end(body);
        } else {
          ctx.response().end();
        }
      });
    });
  }

  static final String SLACK_EVENTS = "/slack/events";
}
