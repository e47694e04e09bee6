package ai.spacebot.api;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Answering a request: a JSON body, or the reply of a bus service. */
final class Replies {
  static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(10_000);

  private Replies() {}

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Asks a bus service and answers with its reply; its 400, 404 and 409 failures keep their status. */
  static void forward(Vertx vertx, RoutingContext ctx, String address, JsonObject ask, DeliveryOptions options) {
    vertx.eventBus().<JsonObject>request(address, ask, options).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result().body());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && (re.failureCode() == 400 || re.failureCode() == 404 || re.failureCode() == 409)) {
        ApiError.send(ctx, re.failureCode(), null, re.getMessage());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        ApiError.send(ctx, 503, null, "that service is not running on any node");
      } else {
        ApiError.send(ctx, 503, null, "the service did not answer; please retry");
      }
    });
  }
}
