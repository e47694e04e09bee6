package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An adapter's answer to a delivery ({@link Addresses#outbound(String)}): the platform's ids of what it sent,
 * one per step, in order (for a reaction: the message reacted on). A step that made something other than a message
 * (a thread it opened) reports its id with {@link #NOT_A_MESSAGE} in front, so the transcript records the first
 * real message as the reply's platform id.
 */
public record DeliveryReceipt(List<String> platformMessageIds) {
  public static final String NOT_A_MESSAGE = "thread:";

  /** The platform id of the first message among the steps' ids, or null. */
  public static String firstMessageId(List<String> ids) {
    return ids.stream().filter(id -> id != null && !id.isEmpty() && !id.startsWith(NOT_A_MESSAGE)).findFirst()
        .orElse(null);
  }

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
