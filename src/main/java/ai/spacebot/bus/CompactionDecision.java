package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * The Compactor's answer: {@code none}; {@code summarize} the oldest {@code fraction} of history in the
 * background (the channel sends that slice to {@link Addresses#COMPACTOR_SUMMARIZE}); or {@code emergency}:
 * drop the oldest {@code fraction} at once with a marker, no model call.
 */
public record CompactionDecision(String action, double fraction, double usage) {
  public static final String NONE = "none";
  public static final String SUMMARIZE = "summarize";
  public static final String EMERGENCY = "emergency";

  public JsonObject toJson() {
    return new JsonObject().put("action", action).put("fraction", fraction).put("usage", usage);
  }

  public static CompactionDecision fromJson(JsonObject j) {
    return new CompactionDecision(j.getString("action", NONE), j.getDouble("fraction", 0.0), j.getDouble("usage", 0.0));
  }
}
