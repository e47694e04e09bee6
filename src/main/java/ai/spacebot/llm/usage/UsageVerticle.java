package ai.spacebot.llm.usage;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.Leadership;
import ai.spacebot.bus.UsageRecord;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.BudgetSettings;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage ledger and the budgets on the bus. Model callers send a {@link UsageRecord} per call to
 * {@link Addresses#USAGE_RECORD}; records are stored in batches and counted into today's totals (loaded
 * from the table at start). Crossing {@code warn_at} of a cap publishes {@code budget_warning}; reaching
 * it publishes {@code budget_exceeded} and {@link Addresses#BUDGET_CHANGED} so every node's
 * {@link BudgetGate} stops calls for that scope until the next midnight in the budget's time zone.
 *
 * <p>The running totals live in this verticle, so one instance across the cluster leads (the lock
 * {@code spacebot.usage.ledger}); the others register nothing and stand by, and one takes over when the
 * leader's node leaves. The new leader loads today's totals from its store.
 */
public final class UsageVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(UsageVerticle.class);
  static final String SCOPE_AGENT = "agent";
  static final String SCOPE_CONVERSATION = "conversation";
  private static final int FLUSH_AT = 200;
  private static final long FLUSH_MS = 250;
  private static final long ROLLOVER_CHECK_MS = 30_000;
  private static final String LEDGER = "ledger";

  private final SpacebotConfig config;
  private final UsageRepository repository;
  private final Clock clock;
  /** agent id → scope → daily USD set by an operator. */
  private final Map<String, Map<String, Double>> overrides = new HashMap<>();
  private final BudgetLedger ledger;
  private List<UsageRecord> pending = new ArrayList<>();
  private EventPublisher events;
  private Leadership leadership;

  public UsageVerticle(SpacebotConfig config, UsageRepository repository) {
    this(config, repository, Clock.systemUTC());
  }

  UsageVerticle(SpacebotConfig config, UsageRepository repository, Clock clock) {
    this.config = config;
    this.repository = repository;
    this.clock = clock;
    this.ledger = new BudgetLedger(clock, this::budget);
  }

  /** The agent's budget from config, with the operator's overrides applied. */
  BudgetSettings budget(String agentId) {
    BudgetSettings configured = config.agent(agentId).map(AgentConfig::budget).orElse(BudgetSettings.NONE);
    Map<String, Double> o = overrides.get(agentId);
    if (o == null) {
      return configured;
    }
    return new BudgetSettings(o.getOrDefault(SCOPE_AGENT, configured.dailyUsd()),
        o.getOrDefault(SCOPE_CONVERSATION, configured.conversationDailyUsd()), configured.timezone(), configured.warnAt());
  }

  @Override
  public Future<?> start() {
    events = new EventPublisher(vertx);
    Promise<Void> firstLead = Promise.promise();
    leadership = new Leadership(vertx, "usage", List.of(LEDGER), key -> lead().onComplete(ar -> {
      if (ar.succeeded()) {
        firstLead.tryComplete();
      } else {
        log.error("The usage ledger could not start", ar.cause());
        firstLead.tryFail(ar.cause());
      }
    }), key -> { });
    leadership.start();
    // Alone, this instance leads at once, and deployment waits until the totals are loaded and the ledger
    // answers; in a cluster the leader may be another node, so nobody waits for a lead that may never come.
    return vertx.isClustered() ? Future.succeededFuture() : firstLead.future();
  }

  /** Whether this instance keeps the ledger now. */
  public boolean leads() {
    return leadership != null && leadership.leads(LEDGER);
  }

  /** Loads today's totals, then takes the ledger's addresses. */
  private Future<?> lead() {
    return repository.overrides().compose(stored -> {
      overrides.putAll(stored);
      Future<Void> chain = Future.succeededFuture();
      for (AgentConfig a : config.agents()) {
        chain = chain.compose(v -> repository.spendSince(a.id(), ledger.startOfToday(a.id()).toEpochMilli())
            .map(spend -> {
              apply(ledger.load(a.id(), spend));
              return null;
            }));
      }
      return chain;
    }).compose(v -> {
      var bus = vertx.eventBus();
      bus.<JsonObject>consumer(Addresses.USAGE_RECORD, m -> record(m.body()));
      vertx.setPeriodic(FLUSH_MS, t -> flush());
      vertx.setPeriodic(ROLLOVER_CHECK_MS, t -> apply(ledger.rollover()));
      return Future.all(List.of(
          bus.<JsonObject>consumer(Addresses.USAGE_QUERY, m -> handle(m, this::query)).completion(),
          bus.<JsonObject>consumer(Addresses.BUDGET_SET, m -> handle(m, this::setBudget)).completion(),
          bus.<JsonObject>consumer(Addresses.BUDGET_STATE, m -> handle(m, b -> Future.succeededFuture(state()))).completion()));
    });
  }

  @Override
  public Future<?> stop() {
    // The last records are stored before the lock goes, so a successor never loads totals without them.
    Future<Void> flushed = leads() ? flush() : Future.succeededFuture();
    return flushed.onComplete(ar -> {
      if (leadership != null) {
        leadership.stop();
      }
    });
  }

  private void record(JsonObject body) {
    UsageRecord r;
    try {
      r = UsageRecord.fromJson(body);
    } catch (RuntimeException e) {
      log.warn("Dropped a malformed usage record: {}", e.getMessage());
      return;
    }
    if (r.id() == null || r.agentId() == null || r.model() == null || r.processKind() == null) {
      log.warn("Dropped a usage record without id, agent_id, model or process_kind: {}", body.encode());
      return;
    }
    pending.add(r);
    if (pending.size() >= FLUSH_AT) {
      flush();
    }
    apply(ledger.add(r.agentId(), r.conversationId(), r.costUsd(), r.timestamp()));
  }

  /** Writes the buffered records; completes once they (and everything queued before) are committed. */
  private Future<Void> flush() {
    if (pending.isEmpty()) {
      return repository.insert(List.of());
    }
    List<UsageRecord> batch = pending;
    pending = new ArrayList<>();
    return repository.insert(batch).onFailure(err -> log.error("Could not store {} usage records", batch.size(), err));
  }

  private void apply(List<BudgetLedger.Effect> effects) {
    for (BudgetLedger.Effect e : effects) {
      BudgetLedger.Scope s = e.scope();
      if (e instanceof BudgetLedger.Warn w) {
        log.info("Budget warning: agent {} conversation {} spent USD {} of {}", s.agentId(), s.conversationId(),
            money(w.spentUsd()), money(w.budgetUsd()));
        events.publish(new AgentEvent.BudgetWarning(s.agentId(), s.conversationId(), w.spentUsd(), w.budgetUsd()));
      } else if (e instanceof BudgetLedger.Block b) {
        if (b.announce()) {
          log.warn("Budget exceeded: agent {} conversation {} spent USD {} of {}; blocked until {}", s.agentId(),
              s.conversationId(), money(b.spentUsd()), money(b.budgetUsd()), Instant.ofEpochMilli(b.untilMillis()));
          events.publish(new AgentEvent.BudgetExceeded(s.agentId(), s.conversationId(), b.spentUsd(), b.budgetUsd(),
              b.untilMillis()));
        }
        vertx.eventBus().publish(Addresses.BUDGET_CHANGED, blockJson(b));
        vertx.setTimer(Math.max(1, b.untilMillis() - clock.millis() + 50), t -> apply(ledger.rollover()));
      } else if (e instanceof BudgetLedger.Release) {
        log.info("Budget released: agent {} conversation {}", s.agentId(), s.conversationId());
        vertx.eventBus().publish(Addresses.BUDGET_CHANGED, new JsonObject().put("agent_id", s.agentId())
            .put("conversation_id", s.conversationId()).put("blocked", false));
      }
    }
  }

  private static JsonObject blockJson(BudgetLedger.Block b) {
    return new JsonObject().put("agent_id", b.scope().agentId()).put("conversation_id", b.scope().conversationId())
        .put("blocked", true).put("until", b.untilMillis()).put("budget_usd", b.budgetUsd()).put("spent_usd", b.spentUsd())
        .put("timezone", b.timezone());
  }

  private JsonObject state() {
    apply(ledger.rollover());
    JsonArray blocked = new JsonArray();
    ledger.blocked().forEach(b -> blocked.add(blockJson(b)));
    return new JsonObject().put("blocked", blocked);
  }

  private Future<JsonObject> query(JsonObject b) {
    String agentId = knownAgent(b);
    UsageRepository.GroupBy groupBy = UsageRepository.GroupBy.parse(b.getString("group_by", "model"));
    ZoneId zone = ZoneId.of(budget(agentId).timezone());
    long from = b.getLong("from", BudgetLedger.startOfDay(clock.instant(), zone).toEpochMilli());
    long to = b.getLong("to", BudgetLedger.nextMidnight(clock.instant(), zone).toEpochMilli());
    if (to < from) {
      throw new IllegalArgumentException("to must not be before from");
    }
    return flush().compose(v -> repository.report(agentId, from, to, groupBy, zone)).map(rows -> {
      JsonArray out = new JsonArray();
      double total = 0;
      for (UsageRepository.ReportRow r : rows) {
        out.add(r.toJson());
        total += r.costUsd();
      }
      return new JsonObject().put("agent_id", agentId).put("from", UsageTimes.format(from, zone)).put("to", UsageTimes.format(to, zone))
          .put("timezone", zone.getId()).put("group_by", groupBy.wire()).put("rows", out).put("total_cost_usd", total);
    });
  }

  /**
   * Changes an agent's caps: a key with a number sets the override, a key with null clears it (back
   * to the config), a missing key leaves it. Replies with the effective budget.
   */
  private Future<JsonObject> setBudget(JsonObject b) {
    String agentId = knownAgent(b);
    Map<String, String> fields = Map.of("daily_usd", SCOPE_AGENT, "conversation_daily_usd", SCOPE_CONVERSATION);
    Map<String, Double> changes = new HashMap<>();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (!b.containsKey(f.getKey())) {
        continue;
      }
      Object v = b.getValue(f.getKey());
      if (v != null && (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0)) {
        throw new IllegalArgumentException(f.getKey() + " must be a number of at least 0, or null to use the configured budget");
      }
      changes.put(f.getValue(), v == null ? null : ((Number) v).doubleValue());
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, Double> c : changes.entrySet()) {
      chain = chain.compose(v -> repository.setOverride(agentId, c.getKey(), c.getValue()));
    }
    return chain.map(v -> {
      for (Map.Entry<String, Double> c : changes.entrySet()) {
        Map<String, Double> mine = overrides.computeIfAbsent(agentId, k -> new HashMap<>());
        if (c.getValue() == null) {
          mine.remove(c.getKey());
        } else {
          mine.put(c.getKey(), c.getValue());
        }
      }
      log.info("Budget of agent {} changed by an operator: {}", agentId, changes);
      apply(ledger.reevaluate(agentId));
      return effectiveBudget(agentId);
    });
  }

  private JsonObject effectiveBudget(String agentId) {
    apply(ledger.rollover());
    BudgetSettings b = budget(agentId);
    Map<String, Double> o = overrides.getOrDefault(agentId, Map.of());
    return new JsonObject().put("agent_id", agentId).put("daily_usd", b.dailyUsd())
        .put("conversation_daily_usd", b.conversationDailyUsd()).put("timezone", b.timezone()).put("warn_at", b.warnAt())
        .put("overridden", new JsonObject().put("daily_usd", o.containsKey(SCOPE_AGENT))
            .put("conversation_daily_usd", o.containsKey(SCOPE_CONVERSATION)))
        .put("spent_today_usd", ledger.spent(agentId, null)).put("blocked", ledger.isBlocked(agentId, null));
  }

  private String knownAgent(JsonObject b) {
    String agentId = b.getString("agent_id");
    if (agentId == null || config.agent(agentId).isEmpty()) {
      throw new IllegalArgumentException("agent_id: unknown agent \"" + agentId + "\"");
    }
    return agentId;
  }

  private void handle(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> op) {
    Future<JsonObject> result;
    try {
      result = op.apply(msg.body() == null ? new JsonObject() : msg.body());
    } catch (IllegalArgumentException | ClassCastException e) {
      result = Future.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    result.onSuccess(msg::reply).onFailure(err -> {
      if (err instanceof IllegalArgumentException) {
        msg.fail(400, err.getMessage());
      } else {
        log.error("Usage operation on {} failed", msg.address(), err);
        msg.fail(500, "usage operation failed");
      }
    });
  }

  static String money(double usd) {
    return String.format(java.util.Locale.ROOT, "%.2f", usd);
  }
}
