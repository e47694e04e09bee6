package ai.spacebot.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bot's update queue with the Bot API's semantics: increasing update_id, an update stays until a getUpdates
 * with a greater offset confirms it (so an unconfirmed one is delivered again), allowed_updates kept between
 * calls. {@code onAdded} is told of every new update (the shim wakes a held long poll or the webhook with it).
 */
final class TelegramUpdates {
  /** What Telegram sends when allowed_updates is empty or was never set. */
  static final Set<String> DEFAULT_TYPES = Set.of("message", "edited_message", "channel_post", "edited_channel_post",
      "business_connection", "business_message", "edited_business_message", "deleted_business_messages",
      "inline_query", "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
      "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_join_request", "chat_boost",
      "removed_chat_boost");

  private final TreeMap<Integer, JsonObject> pending = new TreeMap<>();
  private final Map<Integer, JsonObject> history = new HashMap<>();
  private Set<String> allowed = DEFAULT_TYPES;
  // Telegram's ids start at an arbitrary number, so nothing may assume they start at 1.
  private int nextId = ThreadLocalRandom.current().nextInt(100_000, 900_000);
  private volatile Runnable onAdded = () -> {};

  void onAdded(Runnable listener) {
    onAdded = listener;
  }

  /** Adds {@code update} (everything but update_id) and returns its id. */
  int add(JsonObject update) {
    int id;
    synchronized (this) {
      id = nextId++;
      JsonObject stored = update.copy().put("update_id", id);
      pending.put(id, stored);
      history.put(id, stored);
    }
    onAdded.run();
    return id;
  }

  /**
   * A duplicate delivery of an update already seen: the same payload under a new update_id, since one under its
   * old id would be confirmed by the bot's next offset before anyone saw it.
   */
  int replay(int updateId) {
    JsonObject original;
    synchronized (this) {
      original = history.get(updateId);
    }
    if (original == null) {
      throw new IllegalArgumentException("no update " + updateId + " was ever queued");
    }
    JsonObject payload = original.copy();
    payload.remove("update_id");
    return add(payload);
  }

  /** getUpdates: confirms by offset, keeps/sets allowed_updates, returns up to {@code limit} deliverable updates. */
  synchronized JsonArray take(Integer offset, int limit, JsonArray allowedUpdates) {
    if (allowedUpdates != null) {
      allowed = allowedUpdates.isEmpty() ? DEFAULT_TYPES : Set.copyOf(allowedUpdates.getList());
    }
    if (offset != null && offset < 0) {
      while (pending.size() > -offset) {
        pending.pollFirstEntry();
      }
    } else if (offset != null) {
      pending.headMap(offset).clear();
    }
    JsonArray out = new JsonArray();
    for (JsonObject u : new ArrayList<>(pending.values())) {
      if (out.size() >= limit) {
        break;
      }
      if (allowed.contains(type(u))) {
        out.add(u.copy());
      } else {
        pending.remove(u.getInteger("update_id"));  // never created for this bot, as in Telegram
      }
    }
    return out;
  }

  synchronized boolean hasDeliverable() {
    return pending.values().stream().anyMatch(u -> allowed.contains(type(u)));
  }

  /** The webhook's next update to deliver (filtered by the webhook's allowed_updates). */
  synchronized Optional<JsonObject> first(Set<String> types) {
    while (!pending.isEmpty()) {
      JsonObject u = pending.firstEntry().getValue();
      if (types.contains(type(u))) {
        return Optional.of(u.copy());
      }
      pending.pollFirstEntry();
    }
    return Optional.empty();
  }

  synchronized void confirm(int updateId) {
    pending.headMap(updateId, true).clear();
  }

  synchronized void dropPending() {
    pending.clear();
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  static String type(JsonObject update) {
    return update.fieldNames().stream().filter(f -> !f.equals("update_id")).findFirst().orElse("");
  }
}
