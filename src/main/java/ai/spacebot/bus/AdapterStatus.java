package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * One adapter's health as {@code GET /api/adapters} shows it.
 *
 * @param state {@link #STARTING}, {@link #CONNECTED}, {@link #RECONNECTING} (lost, trying again), {@link #FAILED}
 *     (cannot connect without an operator: bad token, refused) or {@link #DISABLED} (not configured)
 * @param lastError the last connection or delivery error in words an operator can act on, or null
 */
public record AdapterStatus(String name, String platform, String state, String lastError, long lastErrorAt,
    int reconnects, long messagesIn, long messagesOut, long deliveryFailures, long since, String node) {
  public static final String STARTING = "starting";
  public static final String CONNECTED = "connected";
  public static final String RECONNECTING = "reconnecting";
  public static final String FAILED = "failed";
  public static final String STOPPED = "stopped";
  /** Its token is a {@code secret:} value and the secret store is locked: not started until it is unlocked. */
  public static final String WAITING = "waiting";
  /** Not configured (no token): deployed and idle. */
  public static final String DISABLED = "disabled";

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("platform", platform).put("state", state)
        .put("last_error", lastError).put("last_error_at", lastErrorAt == 0 ? null : lastErrorAt)
        .put("reconnects", reconnects).put("messages_in", messagesIn).put("messages_out", messagesOut)
        .put("delivery_failures", deliveryFailures).put("since", since).put("node", node);
  }

  public static AdapterStatus fromJson(JsonObject json) {
    return new AdapterStatus(json.getString("name"), json.getString("platform"), json.getString("state"),
        json.getString("last_error"), json.getLong("last_error_at") == null ? 0 : json.getLong("last_error_at"),
        json.getInteger("reconnects", 0), json.getLong("messages_in", 0L), json.getLong("messages_out", 0L),
        json.getLong("delivery_failures", 0L), json.getLong("since", 0L), json.getString("node"));
  }
}
