package ai.spacebot.testkit;

import io.vertx.core.json.JsonObject;

/**
 * One Server-Sent Event. {@code id} is the id field sent with this event (null if it had none);
 * {@code event} is the event type, "message" when the server named none; {@code data} is the
 * data lines joined by "\n".
 */
public record SseEvent(String id, String event, String data) {

  /** The data parsed as a JSON object; throws if it is not one. */
  public JsonObject json() {
    return new JsonObject(data);
  }
}
