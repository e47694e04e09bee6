package ai.spacebot.tools;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * A tool that is a request to a service on the bus. A refusal (bad input, not found) or an absent
 * service becomes an error result the model can read, never an exception.
 */
public final class BusCall {
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(30_000);

  private BusCall() {}

  public static Future<ToolOutput> request(EventBus bus, String address, JsonObject body,
      Function<JsonObject, ToolOutput> onReply) {
    return bus.<JsonObject>request(address, body, OPTIONS)
        .map(reply -> onReply.apply(reply.body()))
        .recover(err -> Future.succeededFuture(ToolOutput.error("Error: " + describe(err))));
  }

  static String describe(Throwable err) {
    if (err instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "the service is not running right now";
        case TIMEOUT -> "the service did not answer in time";
        default -> re.getMessage();
      };
    }
    return err.getMessage();
  }
}
