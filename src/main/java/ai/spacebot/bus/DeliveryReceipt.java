package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An adapter's answer to a delivery ({@link Addresses#outbound(String)}): the platform's ids of what it sent,
 * one per part of a split message, in order (for a reaction: the message reacted on).
 */
public record DeliveryReceipt(List<String> platformMessageIds) {
  public DeliveryReceipt {
    platformMessageIds = List.copyOf(platformMessageIds);
  }

  public JsonObject toJson() {
    return new JsonObject().put("delivered", true).put("platform_message_ids", new JsonArray(platformMessageIds));
  }

  public static DeliveryReceipt fromJson(JsonObject json) {
    JsonArray ids = json == null ? null : json.getJsonArray("platform_message_ids");
    return new DeliveryReceipt(ids == null ? List.of() : ids.stream().map(String::valueOf).toList());
  }
}
