package ai.spacebot.llm.usage;

import ai.spacebot.config.BudgetSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Today's spending per agent and per conversation, and what it means for the budgets: pure logic with
 * an injectable clock, no I/O. The caller turns the returned {@link Effect}s into events and publishes.
 *
 * <p>Each agent's day runs from midnight to midnight in its budget's time zone. A scope (the agent, or
 * one of its conversations) warns once per day when its spend reaches {@code warnAt} of its cap, and is
 * blocked when it reaches the cap, until the next midnight or until its cap is raised above the spend.
 */
public final class BudgetLedger {
  /** Costs are sums of doubles; this much below the cap still counts as reaching it. */
  private static final double EPSILON = 1e-9;

  /** The agent ({@code conversationId} null) or one conversation of it. */
  public record Scope(String agentId, String conversationId) {
    public boolean isAgent() {
      return conversationId == null;
    }
  }

  /** What changed; the caller announces it. */
  public sealed interface Effect {
    Scope scope();
  }

  /** The scope reached {@code warnAt} of its cap (once per scope and day). */
  public record Warn(Scope scope, double spentUsd, double budgetUsd) implements Effect {}

  /**
   * The scope reached its cap: blocked until {@code untilMillis}. {@code announce} is false when the
   * block was only restored from stored totals (no new {@code budget_exceeded} event is due).
   */
  public record Block(Scope scope, double spentUsd, double budgetUsd, long untilMillis, String timezone, boolean announce)
      implements Effect {}

  /** The scope may spend again (the day rolled over, or its cap was raised). */
  public record Release(Scope scope) implements Effect {}

  private final Clock clock;
  private final Function<String, BudgetSettings> budgets;
  private final Map<String, AgentDay> days = new HashMap<>();

  /**
   * @param budgets the effective budget of an agent (config, or an operator's override); never null
   */
  public BudgetLedger(Clock clock, Function<String, BudgetSettings> budgets) {
    this.clock = clock;
    this.budgets = budgets;
  }

  private static final class AgentDay {
    LocalDate date;
    double spent;
    final Map<String, Double> conversations = new HashMap<>();
    final Set<Scope> warned = new HashSet<>();
    final Map<Scope, Block> blocked = new LinkedHashMap<>();

    AgentDay(LocalDate date) {
      this.date = date;
    }
  }

  /** Midnight at the start of the day after {@code instant} in {@code zone}. */
  public static Instant nextMidnight(Instant instant, ZoneId zone) {
    return instant.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** Midnight at the start of the day of {@code instant} in {@code zone}. */
  public static Instant startOfDay(Instant instant, ZoneId zone) {
    return instant.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
  }

  /** The start of today in the agent's budget time zone. */
  public Instant startOfToday(String agentId) {
    return startOfDay(clock.instant(), zone(agentId));
  }

  private ZoneId zone(String agentId) {
    return ZoneId.of(budgets.apply(agentId).timezone());
  }

  /**
   * Restores today's totals of one agent (from the ledger table at start-up): scopes already past a
   * threshold are marked warned or blocked without a new event ({@link Block#announce()} false).
   *
   * @param byConversation today's spend per conversation; the key null holds calls without one
   */
  public List<Effect> load(String agentId, Map<String, Double> byConversation) {
    AgentDay day = day(agentId, new ArrayList<>());
    for (Map.Entry<String, Double> e : byConversation.entrySet()) {
      day.spent += e.getValue();
      if (e.getKey() != null) {
        day.conversations.merge(e.getKey(), e.getValue(), Double::sum);
      }
    }
    List<Effect> out = new ArrayList<>();
    evaluateAll(agentId, day, out, false);
    out.removeIf(x -> x instanceof Warn);
    return out;
  }

  /** Counts one call's cost; calls from an earlier day than today only go into the ledger, not the budget. */
  public List<Effect> add(String agentId, String conversationId, double costUsd, long timestampMillis) {
    List<Effect> out = new ArrayList<>();
    AgentDay day = day(agentId, out);
    ZoneId zone = zone(agentId);
    if (Instant.ofEpochMilli(timestampMillis).atZone(zone).toLocalDate().isBefore(day.date) || costUsd <= 0) {
      return out;
    }
    day.spent += costUsd;
    evaluate(agentId, day, new Scope(agentId, null), day.spent, out, true);
    if (conversationId != null) {
      double spent = day.conversations.merge(conversationId, costUsd, Double::sum);
      evaluate(agentId, day, new Scope(agentId, conversationId), spent, out, true);
    }
    return out;
  }

  /** After an agent's budget changed: blocks what is now over, releases what is now under. */
  public List<Effect> reevaluate(String agentId) {
    List<Effect> out = new ArrayList<>();
    AgentDay day = day(agentId, out);
    evaluateAll(agentId, day, out, true);
    return out;
  }

  /** Rolls every agent whose day has ended over to the new day, releasing its blocked scopes. */
  public List<Effect> rollover() {
    List<Effect> out = new ArrayList<>();
    for (String agentId : new ArrayList<>(days.keySet())) {
      day(agentId, out);
    }
    return out;
  }

  /** What is blocked now (a day that has ended counts as released, though {@link #rollover()} has not run yet). */
  public List<Block> blocked() {
    List<Block> out = new ArrayList<>();
    days.forEach((agentId, d) -> {
      if (isToday(agentId, d)) {
        out.addAll(d.blocked.values());
      }
    });
    return out;
  }

  public boolean isBlocked(String agentId, String conversationId) {
    AgentDay day = days.get(agentId);
    if (day == null || !isToday(agentId, day)) {
      return false;
    }
    return day.blocked.containsKey(new Scope(agentId, null))
        || conversationId != null && day.blocked.containsKey(new Scope(agentId, conversationId));
  }

  /** Today's spend of the agent, or of one conversation of it. */
  public double spent(String agentId, String conversationId) {
    AgentDay day = days.get(agentId);
    if (day == null || !isToday(agentId, day)) {
      return 0;
    }
    return conversationId == null ? day.spent : day.conversations.getOrDefault(conversationId, 0.0);
  }

  private boolean isToday(String agentId, AgentDay day) {
    return day.date.equals(clock.instant().atZone(zone(agentId)).toLocalDate());
  }

  /** The earliest instant at which some agent's day ends (when {@link #rollover()} has work), or null. */
  public Instant nextRollover() {
    Instant next = null;
    for (String agentId : days.keySet()) {
      Instant end = nextMidnight(clock.instant(), zone(agentId));
      if (next == null || end.isBefore(next)) {
        next = end;
      }
    }
    return next;
  }

  private AgentDay day(String agentId, List<Effect> out) {
    LocalDate today = clock.instant().atZone(zone(agentId)).toLocalDate();
    AgentDay day = days.get(agentId);
    if (day == null) {
      day = new AgentDay(today);
      days.put(agentId, day);
    } else if (!day.date.equals(today)) {
      for (Scope s : day.blocked.keySet()) {
        out.add(new Release(s));
      }
      day.blocked.clear();
      day.warned.clear();
      day.conversations.clear();
      day.spent = 0;
      day.date = today;
    }
    return day;
  }

  private void evaluateAll(String agentId, AgentDay day, List<Effect> out, boolean announce) {
    evaluate(agentId, day, new Scope(agentId, null), day.spent, out, announce);
    for (Map.Entry<String, Double> e : day.conversations.entrySet()) {
      evaluate(agentId, day, new Scope(agentId, e.getKey()), e.getValue(), out, announce);
    }
  }

  private void evaluate(String agentId, AgentDay day, Scope scope, double spent, List<Effect> out, boolean announce) {
    BudgetSettings b = budgets.apply(agentId);
    Double cap = scope.isAgent() ? b.dailyUsd() : b.conversationDailyUsd();
    boolean wasBlocked = day.blocked.containsKey(scope);
    if (cap == null) {
      day.warned.remove(scope);
      if (wasBlocked) {
        day.blocked.remove(scope);
        out.add(new Release(scope));
      }
      return;
    }
    if (spent + EPSILON < b.warnAt() * cap) {
      day.warned.remove(scope); // a raised cap may warn again later today
    } else if (day.warned.add(scope) && spent + EPSILON < cap) {
      out.add(new Warn(scope, spent, cap)); // a jump straight past the cap only blocks
    }
    if (spent + EPSILON >= cap) {
      if (!wasBlocked) {
        long until = nextMidnight(clock.instant(), ZoneId.of(b.timezone())).toEpochMilli();
        Block block = new Block(scope, spent, cap, until, b.timezone(), announce);
        day.blocked.put(scope, block);
        out.add(block);
      }
    } else if (wasBlocked) {
      day.blocked.remove(scope);
      out.add(new Release(scope));
    }
  }
}
