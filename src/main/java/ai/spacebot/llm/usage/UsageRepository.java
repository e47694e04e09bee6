package ai.spacebot.llm.usage;

import ai.spacebot.bus.UsageRecord;
import ai.spacebot.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The usage ledger and the budget overrides in SQLite: writes through the single writer (a batch of
 * records is one piece of work), reads through the read pool.
 */
public final class UsageRepository {
  /** How a report groups calls. */
  public enum GroupBy {
    MODEL, DAY, PROCESS;

    public static GroupBy parse(String s) {
      for (GroupBy g : values()) {
        if (g.name().equalsIgnoreCase(s)) {
          return g;
        }
      }
      throw new IllegalArgumentException("group_by must be model, day or process, got \"" + s + "\"");
    }

    public String wire() {
      return name().toLowerCase();
    }
  }

  /** One report row: calls of one model, day or process kind. */
  public record ReportRow(String key, long calls, long inputTokens, long outputTokens, long cachedTokens, double costUsd,
      long failed) {
    public JsonObject toJson() {
      return new JsonObject().put("key", key).put("calls", calls).put("input_tokens", inputTokens)
          .put("output_tokens", outputTokens).put("cached_tokens", cachedTokens).put("cost_usd", costUsd).put("failed", failed);
    }

    ReportRow plus(ReportRow o) {
      return new ReportRow(key, calls + o.calls, inputTokens + o.inputTokens, outputTokens + o.outputTokens,
          cachedTokens + o.cachedTokens, costUsd + o.costUsd, failed + o.failed);
    }
  }

  /** Day reports group 15-minute buckets in SQL, then days in Java: every zone offset is a multiple of 15 minutes. */
  private static final long BUCKET_MS = 15 * 60_000L;
  /**
   * Integer sums stay integers; the cost sum is read as text: the JDBC driver reports an aggregate's
   * REAL as a 32-bit float, which vertx-jdbc then decodes with float precision (0.15 became 0.15000000596).
   */
  private static final String SUMS = "COUNT(*) AS calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
      + "SUM(cached_tokens) AS cached_tokens, CAST(TOTAL(cost_usd) AS TEXT) AS cost_usd, "
      + "SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failed";

  private final Database db;

  public UsageRepository(Database db) {
    this.db = db;
  }

  /** Stores a batch of records in one piece of write work; a record whose id is known is skipped. */
  public Future<Void> insert(List<UsageRecord> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    return db.write(sql -> {
      for (UsageRecord r : records) {
        sql.update("""
            INSERT INTO usage(id, timestamp, agent_id, process_kind, process_id, conversation_id, model, input_tokens,
                              output_tokens, cached_tokens, latency_ms, cost_usd, tier, fallback_position, outcome, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING""",
            r.id(), r.timestamp(), r.agentId(), r.processKind(), r.processId(), r.conversationId(), r.model(),
            r.inputTokens(), r.outputTokens(), r.cachedTokens(), r.latencyMs(), r.costUsd(), r.tier(),
            r.fallbackPosition(), r.outcome(), r.error());
      }
      return null;
    });
  }

  /**
   * An agent's calls in {@code [from, to)} grouped by model, process kind or day ({@code zone}'s
   * days), the most expensive first (days in order).
   */
  public Future<List<ReportRow>> report(String agentId, long from, long to, GroupBy groupBy, ZoneId zone) {
    String key = switch (groupBy) {
      case MODEL -> "model";
      case PROCESS -> "process_kind";
      case DAY -> "timestamp / " + BUCKET_MS;
    };
    String sql = "SELECT " + key + " AS k, " + SUMS + " FROM usage WHERE agent_id = ? AND timestamp >= ? AND timestamp < ? GROUP BY k";
    return db.reader().preparedQuery(sql).execute(Tuple.of(agentId, from, to)).map(rows -> {
      List<ReportRow> out = new ArrayList<>();
      if (groupBy == GroupBy.DAY) {
        Map<LocalDate, ReportRow> days = new TreeMap<>();
        for (Row r : rows) {
          LocalDate day = Instant.ofEpochMilli(number(r, "k").longValue() * BUCKET_MS).atZone(zone).toLocalDate();
          days.merge(day, row(day.toString(), r), ReportRow::plus);
        }
        out.addAll(days.values());
      } else {
        for (Row r : rows) {
          out.add(row(String.valueOf(r.getValue("k")), r));
        }
        out.sort((a, b) -> a.costUsd() != b.costUsd() ? Double.compare(b.costUsd(), a.costUsd()) : a.key().compareTo(b.key()));
      }
      return out;
    });
  }

  /** An agent's spend since {@code since}, per conversation (key null: calls without a conversation). */
  public Future<Map<String, Double>> spendSince(String agentId, long since) {
    return db.reader().preparedQuery("SELECT conversation_id, CAST(TOTAL(cost_usd) AS TEXT) AS cost FROM usage "
            + "WHERE agent_id = ? AND timestamp >= ? GROUP BY conversation_id")
        .execute(Tuple.of(agentId, since)).map(rows -> {
          Map<String, Double> out = new HashMap<>();
          for (Row r : rows) {
            out.put(r.getString("conversation_id"), number(r, "cost").doubleValue());
          }
          return out;
        });
  }

  /** The operator's overrides: agent id → scope ({@code agent} or {@code conversation}) → daily USD. */
  public Future<Map<String, Map<String, Double>>> overrides() {
    return db.reader().query("SELECT agent_id, scope, daily_usd FROM budget_overrides").execute().map(rows -> {
      Map<String, Map<String, Double>> out = new HashMap<>();
      for (Row r : rows) {
        out.computeIfAbsent(r.getString("agent_id"), k -> new HashMap<>()).put(r.getString("scope"),
            number(r, "daily_usd").doubleValue());
      }
      return out;
    });
  }

  /** Sets ({@code dailyUsd} not null) or clears one override. */
  public Future<Void> setOverride(String agentId, String scope, Double dailyUsd) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      if (dailyUsd == null) {
        sql.update("DELETE FROM budget_overrides WHERE agent_id = ? AND scope = ?", agentId, scope);
      } else {
        sql.update("""
            INSERT INTO budget_overrides(agent_id, scope, daily_usd, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(agent_id, scope) DO UPDATE SET daily_usd = excluded.daily_usd, updated_at = excluded.updated_at""",
            agentId, scope, dailyUsd, now);
      }
      return null;
    });
  }

  private static ReportRow row(String key, Row r) {
    return new ReportRow(key, number(r, "calls").longValue(), number(r, "input_tokens").longValue(),
        number(r, "output_tokens").longValue(), number(r, "cached_tokens").longValue(), number(r, "cost_usd").doubleValue(),
        number(r, "failed").longValue());
  }

  /** SQLite aggregates come back as whatever type the driver picks (text for the cost sums). */
  private static Number number(Row r, String column) {
    Object v = r.getValue(column);
    return v == null ? 0 : v instanceof Number n ? n : Double.valueOf(v.toString());
  }
}
