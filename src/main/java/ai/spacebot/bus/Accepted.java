package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/** Reply to {@link Addresses#INBOUND}: the message is stored; {@code duplicate} if it was seen before. */
public record Accepted(String messageId, boolean duplicate) {
  public JsonObject toJson() {
    return new JsonObject().put("message_id", messageId).put("duplicate", duplicate);
  }

  public static Accepted fromJson(JsonObject json) {
    return new Accepted(json.getString("message_id"), json.getBoolean("duplicate", false));
  }
}
