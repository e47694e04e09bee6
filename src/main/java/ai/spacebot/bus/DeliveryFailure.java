package ai.spacebot.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Why an adapter could not deliver, sent back as the bus reply failure: the failure code says what kind
 * ({@link #PERMANENT}, {@link #RATE_LIMITED}, {@link #TRANSIENT}) and the failure message is this record's JSON,
 * so the outbox knows how long the platform asked it to wait and which parts of a split message went out already.
 */
public record DeliveryFailure(int code, String error, long retryAfterMillis, List<String> deliveredParts) {
  /** Retrying cannot fix it: the chat is gone, the bot may not write there (403, 404, a bad request). */
  public static final int PERMANENT = Addresses.PERMANENT_FAILURE;
  /** The platform said to slow down and for how long ({@link #retryAfterMillis}). */
  public static final int RATE_LIMITED = 429;
  /** A 5xx, a timeout, a dropped connection, the adapter not connected: worth another try. */
  public static final int TRANSIENT = 503;

  public DeliveryFailure {
    deliveredParts = deliveredParts == null ? List.of() : List.copyOf(deliveredParts);
    error = error == null ? "unknown error" : error;
  }

  public static DeliveryFailure permanent(String error) {
    return new DeliveryFailure(PERMANENT, error, 0, List.of());
  }

  public static DeliveryFailure transientFailure(String error) {
    return new DeliveryFailure(TRANSIENT, error, 0, List.of());
  }

  public static DeliveryFailure rateLimited(String error, long retryAfterMillis) {
    return new DeliveryFailure(RATE_LIMITED, error, retryAfterMillis, List.of());
  }

  public boolean isPermanent() {
    return code == PERMANENT;
  }

  public DeliveryFailure withDeliveredParts(List<String> parts) {
    return new DeliveryFailure(code, error, retryAfterMillis, parts);
  }

  public void replyTo(Message<?> message) {
    message.fail(code, new JsonObject().put("error", error).put("retry_after_ms", retryAfterMillis)
        .put("delivered_parts", new JsonArray(deliveredParts)).encode());
  }

  /** Reads a delivery's failure; a bus failure that is not an adapter's (a timeout, no handler) is transient. */
  public static DeliveryFailure from(Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      String message = re.getMessage();
      if (message != null && message.startsWith("{")) {
        try {
          JsonObject json = new JsonObject(message);
          JsonArray parts = json.getJsonArray("delivered_parts");
          return new DeliveryFailure(re.failureCode(), json.getString("error"), json.getLong("retry_after_ms", 0L),
              parts == null ? List.of() : parts.stream().map(String::valueOf).toList());
        } catch (DecodeException | ClassCastException e) {
          // not ours: fall through
        }
      }
      int code = re.failureCode() == PERMANENT || re.failureCode() == RATE_LIMITED ? re.failureCode() : TRANSIENT;
      return new DeliveryFailure(code, message, 0, List.of());
    }
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return transientFailure("no adapter is running for this platform");
    }
    return transientFailure(String.valueOf(err.getMessage()));
  }
}
