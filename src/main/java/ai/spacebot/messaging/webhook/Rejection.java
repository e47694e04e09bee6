package ai.spacebot.messaging.webhook;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Why the adapter refused a webhook request: the HTTP status the API answers with and a JSON body naming the
 * problem (and the field, if one). Sent back as the bus failure, its message the JSON body.
 */
final class Rejection extends RuntimeException {
  final int status;
  final String field;

  Rejection(int status, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  static Rejection badRequest(String field, String message) {
    return new Rejection(400, field, message);
  }

  static Rejection unauthorized() {
    return new Rejection(401, null, "unauthorized: send this webhook's secret as Authorization: Bearer <secret>");
  }

  void replyTo(Message<?> msg) {
    JsonObject body = new JsonObject().put("error", getMessage());
    if (field != null) {
      body.put("field", field);
    }
    msg.fail(status, body.encode());
  }
}
