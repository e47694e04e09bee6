package ai.spacebot.testkit;

import ai.spacebot.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * What the adapter tests read back from a running app: an adapter's row of {@code GET /api/adapters}, a message's
 * status in a conversation's transcript, a failed delivery; and a pause long enough for a duplicate reply or a late
 * retry to show up if there were one.
 */
public final class AppProbe {
  private AppProbe() {}

  /** The adapter of this platform as {@code GET /api/adapters} shows it, or null. */
  public static JsonObject adapter(Http app, String platform) {
    JsonArray adapters = app.get("/api/adapters").json().getJsonArray("adapters");
    for (int i = 0; i < adapters.size(); i++) {
      if (platform.equals(adapters.getJsonObject(i).getString("platform"))) {
        return adapters.getJsonObject(i);
      }
    }
    return null;
  }

  /** Waits until the platform's adapter is in {@code state}; returns its row. */
  public static JsonObject awaitAdapter(Http app, String platform, String state, Duration within) {
    Await.until(() -> {
      JsonObject a = adapter(app, platform);
      return a != null && state.equals(a.getString("state"));
    }, within, platform + " adapter " + state);
    return adapter(app, platform);
  }

  /** The status of the newest transcript message of the conversation containing {@code text}, or null. */
  public static String status(TestApp app, String conversation, String text) {
    JsonArray messages = app.running().vertx().eventBus()
        .<JsonObject>request(Addresses.HISTORY, new JsonObject().put("conversation_id", conversation).put("limit", 100))
        .await().body().getJsonArray("messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      if (m.getString("text") != null && m.getString("text").contains(text)) {
        return m.getString("status");
      }
    }
    return null;
  }

  /** The conversation's failed delivery from {@code GET /api/deliveries?state=failed}, or null. */
  public static JsonObject failedDelivery(Http app, String conversation) {
    Http.Response response = app.get("/api/deliveries?state=failed&limit=1000");
    JsonArray rows = response.json().getJsonArray("deliveries");
    if (rows == null) {
      throw new AssertionError("GET /api/deliveries answered " + response.status() + ": " + response.body());
    }
    for (int i = 0; i < rows.size(); i++) {
      if (conversation.equals(rows.getJsonObject(i).getString("conversation_id"))) {
        return rows.getJsonObject(i);
      }
    }
    return null;
  }

  /** The model quiet for 1.2 s, then 0.8 s more: a duplicate reply or a late retry would have shown by then. */
  public static void quiet(ScriptedModelServer model, Duration within) {
    model.awaitQuiet(Duration.ofMillis(1200), within);
    try {
      Thread.sleep(800);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
