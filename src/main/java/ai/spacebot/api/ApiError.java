package ai.spacebot.api;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A client error: an HTTP status and a JSON body naming the problem (and the field, if one). */
final class ApiError extends RuntimeException {
  private static final Logger log = LoggerFactory.getLogger(ApiError.class);
  final int status;
  final String field;

  ApiError(int status, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  static ApiError badRequest(String field, String message) {
    return new ApiError(400, field, message);
  }

  static void send(RoutingContext ctx, int status, String field, String message) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    JsonObject body = new JsonObject().put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /**
   * The router's failure handler: client mistakes become 4xx JSON bodies; only a real fault is a 500 with a
   * logged stack trace (and never a trace in the body).
   */
  static void failure(RoutingContext ctx, long maxBodyBytes) {
    Throwable err = ctx.failure();
    if (err instanceof ApiError e) {
      send(ctx, e.status, e.field, e.getMessage());
    } else if (err != null && Escapes.isDecodingFailure(err)) {
      send(ctx, 400, null, Escapes.QUERY);
    } else if (err instanceof HttpClosedException) {
      log.debug("{} {}: the client went away", ctx.request().method(), ctx.request().path()); // nobody to answer
    } else if (ctx.statusCode() == 413) {
      send(ctx, 413, null, "request body is larger than " + maxBodyBytes + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      send(ctx, ctx.statusCode(), null, "bad request");
    } else {
      log.error("Unhandled error on {} {}", ctx.request().method(), ctx.request().path(), err);
      send(ctx, 500, null, "internal error");
    }
  }
}
