package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * Sent to a running process's address ({@link Addresses#process}). {@code cancel} stops it (its shell
 * children too) with {@code reason}; {@code input} hands an interactive worker its next message.
 */
public record ProcessControl(String action, String text) {
  public static final String CANCEL = "cancel";
  public static final String INPUT = "input";

  public static ProcessControl cancel(String reason) {
    return new ProcessControl(CANCEL, reason);
  }

  public static ProcessControl input(String message) {
    return new ProcessControl(INPUT, message);
  }

  public JsonObject toJson() {
    return new JsonObject().put("action", action).put("text", text);
  }

  public static ProcessControl fromJson(JsonObject j) {
    return new ProcessControl(j.getString("action"), j.getString("text"));
  }
}
