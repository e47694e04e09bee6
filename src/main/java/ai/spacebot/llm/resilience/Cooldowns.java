package ai.spacebot.llm.resilience;

import ai.spacebot.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models that every process skips for a while (rate-limited past their retries, or out of quota). One
 * registry per Vertx ({@link #of}); a cooldown is published on {@link Addresses#MODEL_COOLDOWN}
 * {@code {model, until, reason, quota}} and every node's registry takes the ones it hears, so the
 * whole cluster leaves the model alone.
 */
public final class Cooldowns implements Shareable {
  private static final Logger log = LoggerFactory.getLogger(Cooldowns.class);
  private static final String MAP = "spacebot.llm.resilience";
  private static final String KEY = "cooldowns";

  /** One model's cooldown. */
  public record Entry(String model, long untilMillis, String reason, boolean quota) {
    public JsonObject toJson() {
      return new JsonObject().put("model", model).put("until", untilMillis).put("reason", reason).put("quota", quota);
    }
  }

  private final Vertx vertx;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private Cooldowns(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The node's registry (created, and subscribed to {@link Addresses#MODEL_COOLDOWN}, on first use). */
  public static Cooldowns of(Vertx vertx) {
    LocalMap<String, Cooldowns> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (Cooldowns.class) {
      Cooldowns existing = map.get(KEY);
      if (existing != null) {
        return existing;
      }
      Cooldowns created = new Cooldowns(vertx);
      vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_COOLDOWN, msg -> created.accept(msg.body()));
      map.put(KEY, created);
      return created;
    }
  }

  /** The model's cooldown if it is cooling now. */
  public Optional<Entry> active(String model) {
    Entry e = entries.get(model);
    if (e == null) {
      return Optional.empty();
    }
    if (e.untilMillis() <= System.currentTimeMillis()) {
      entries.remove(model, e);
      return Optional.empty();
    }
    return Optional.of(e);
  }

  public boolean coolingDown(String model) {
    return active(model).isPresent();
  }

  /** Puts a model in cooldown here and tells every node. */
  public Entry coolDown(String model, Duration duration, String reason, boolean quota) {
    Entry e = new Entry(model, System.currentTimeMillis() + duration.toMillis(), reason, quota);
    merge(e);
    vertx.eventBus().publish(Addresses.MODEL_COOLDOWN, e.toJson());
    return e;
  }

  /** Ends a model's cooldown on this node (an operator's or a test's reset). */
  public void clear(String model) {
    entries.remove(model);
  }

  private void accept(JsonObject json) {
    try {
      String model = json.getString("model");
      if (model != null) {
        merge(new Entry(model, json.getLong("until", 0L), json.getString("reason"), json.getBoolean("quota", false)));
      }
    } catch (RuntimeException e) {
      log.warn("ignoring a malformed model cooldown {}: {}", json, e.toString());
    }
  }

  private void merge(Entry e) {
    entries.merge(e.model(), e, (old, neu) -> neu.untilMillis() >= old.untilMillis() ? neu : old);
  }
}
