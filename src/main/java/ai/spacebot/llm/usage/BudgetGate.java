package ai.spacebot.llm.usage;

import ai.spacebot.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model caller asks before a call, on any node and without a bus round trip: is this agent or
 * this conversation over its daily budget? A node-local cache, filled from
 * {@link Addresses#BUDGET_STATE} when it is created and kept current from the
 * {@link Addresses#BUDGET_CHANGED} publishes of the {@link UsageVerticle}; an entry also expires on its
 * own at its {@code until} (the next midnight in the budget's time zone), so a missed release never
 * blocks past the day.
 *
 * <p>One instance per Vert.x instance: obtain it with {@link #of(Vertx)} (a static holder keyed weakly
 * by the Vertx; the gate keeps no reference to it). Thread-safe; {@link #blocked} is a map lookup.
 */
public final class BudgetGate {
  private static final Logger log = LoggerFactory.getLogger(BudgetGate.class);
  private static final Map<Vertx, BudgetGate> GATES = new WeakHashMap<>();
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");
  private static final int STATE_ATTEMPTS = 15;

  /** One blocked scope as the usage service announced it. */
  public record Blocked(String agentId, String conversationId, long untilMillis, double budgetUsd, String timezone) {}

  private record Key(String agentId, String conversationId) {}

  private final Map<Key, Blocked> blocked = new ConcurrentHashMap<>();
  private final Clock clock;
  /** Set once the first full state arrived, or a change was heard (then the service is up and announces). */
  private volatile boolean informed;

  BudgetGate(Clock clock) {
    this.clock = clock;
  }

  /** This node's gate, created (and subscribed) on first use. */
  public static BudgetGate of(Vertx vertx) {
    synchronized (GATES) {
      BudgetGate gate = GATES.get(vertx);
      if (gate == null) {
        gate = new BudgetGate(Clock.systemUTC());
        gate.subscribe(vertx);
        GATES.put(vertx, gate);
      }
      return gate;
    }
  }

  private void subscribe(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.BUDGET_CHANGED, m -> {
      informed = true;
      apply(m.body());
    }).completion().onComplete(ar -> askState(vertx, 1));
  }

  /** Asks the usage service for what is blocked now; it may not be deployed yet, so a few tries. */
  private void askState(Vertx vertx, int attempt) {
    vertx.eventBus().<JsonObject>request(Addresses.BUDGET_STATE, new JsonObject(), new DeliveryOptions().setSendTimeout(5000))
        .onSuccess(reply -> {
          informed = true;
          replaceAll(reply.body().getJsonArray("blocked", new JsonArray()));
        })
        .onFailure(err -> {
          if (!informed && attempt < STATE_ATTEMPTS) {
            vertx.setTimer(Math.min(2000, 100L * attempt * attempt), t -> askState(vertx, attempt + 1));
          } else if (!informed) {
            log.info("No usage service answered ({}); budgets are enforced once it announces a change", err.getMessage());
          }
        });
  }

  void replaceAll(JsonArray state) {
    blocked.clear();
    for (int i = 0; i < state.size(); i++) {
      apply(state.getJsonObject(i).copy().put("blocked", true));
    }
  }

  /** Applies one {@link Addresses#BUDGET_CHANGED} payload. */
  void apply(JsonObject change) {
    Key key = new Key(change.getString("agent_id"), change.getString("conversation_id"));
    if (key.agentId() == null) {
      return;
    }
    if (change.getBoolean("blocked", false)) {
      blocked.put(key, new Blocked(key.agentId(), key.conversationId(), change.getLong("until", 0L),
          change.getDouble("budget_usd", 0.0), change.getString("timezone", "UTC")));
    } else {
      blocked.remove(key);
    }
  }

  /** Whether a model call for this agent (and conversation, may be null) must not be made now. */
  public boolean blocked(String agentId, String conversationId) {
    return find(agentId, conversationId).isPresent();
  }

  /**
   * Why a call is blocked, worded for the user, e.g. "I've reached today's spending limit for this
   * assistant (USD 5.00); I can answer again after 00:00 UTC." Empty when it is not.
   */
  public Optional<String> reason(String agentId, String conversationId) {
    return find(agentId, conversationId).map(b -> {
      ZoneId zone = ZoneId.of(b.timezone());
      String at = CLOCK_TIME.format(Instant.ofEpochMilli(b.untilMillis()).atZone(zone));
      return "I've reached today's spending limit for this " + (b.conversationId() == null ? "assistant" : "conversation")
          + " (USD " + UsageVerticle.money(b.budgetUsd()) + "); I can answer again after " + at + " " + zone.getId() + ".";
    });
  }

  /** The agent's own block wins over a conversation's: it is the wider one. */
  private Optional<Blocked> find(String agentId, String conversationId) {
    long now = clock.millis();
    Blocked agent = live(new Key(agentId, null), now);
    if (agent != null) {
      return Optional.of(agent);
    }
    return conversationId == null ? Optional.empty() : Optional.ofNullable(live(new Key(agentId, conversationId), now));
  }

  private Blocked live(Key key, long now) {
    Blocked b = blocked.get(key);
    if (b != null && b.untilMillis() <= now) {
      blocked.remove(key, b);
      return null;
    }
    return b;
  }
}
