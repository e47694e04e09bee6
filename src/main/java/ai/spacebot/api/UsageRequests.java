package ai.spacebot.api;

import ai.spacebot.config.AgentConfig;
import ai.spacebot.llm.usage.BudgetLedger;
import ai.spacebot.llm.usage.UsageRepository;
import ai.spacebot.llm.usage.UsageTimes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneId;

/** Validation of the usage and budget routes; each failure names the field. */
final class UsageRequests {
  private UsageRequests() {}

  /** {@code group_by}, {@code from} and {@code to} (in the agent's budget time zone) as a USAGE_QUERY request. */
  static JsonObject query(RoutingContext ctx, AgentConfig agent, long nowMillis) {
    ZoneId zone = ZoneId.of(agent.budget().timezone());
    String groupBy = ctx.request().getParam("group_by");
    try {
      groupBy = UsageRepository.GroupBy.parse(groupBy == null || groupBy.isBlank() ? "model" : groupBy.strip()).wire();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("group_by", e.getMessage());
    }
    Instant now = Instant.ofEpochMilli(nowMillis);
    long from = bound(ctx, "from", zone, false, BudgetLedger.startOfDay(now, zone).toEpochMilli());
    long to = bound(ctx, "to", zone, true, BudgetLedger.nextMidnight(now, zone).toEpochMilli());
    if (to < from) {
      throw ApiError.badRequest("to", "to must not be before from");
    }
    return new JsonObject().put("agent_id", agent.id()).put("group_by", groupBy).put("from", from).put("to", to);
  }

  private static long bound(RoutingContext ctx, String name, ZoneId zone, boolean end, long fallback) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return UsageTimes.parse(name, value, zone, end);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(name, e.getMessage());
    }
  }

  /**
   * {@code daily_usd} and {@code conversation_daily_usd}: a number of at least 0 sets the cap, null
   * clears the operator's override (back to the config), a missing key leaves it alone.
   */
  static JsonObject budget(JsonObject body) {
    JsonObject out = new JsonObject();
    boolean any = false;
    for (String field : new String[] {"daily_usd", "conversation_daily_usd"}) {
      if (!body.containsKey(field)) {
        continue;
      }
      any = true;
      Object v = body.getValue(field);
      if (v == null) {
        out.putNull(field);
      } else if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0 && n.doubleValue() <= 1_000_000) {
        out.put(field, n.doubleValue());
      } else {
        throw ApiError.badRequest(field, field + " must be a number from 0 to 1000000 (USD per day), or null to use the configured budget");
      }
    }
    if (!any) {
      throw ApiError.badRequest("daily_usd", "give daily_usd and/or conversation_daily_usd (a number, or null to clear)");
    }
    return out;
  }
}
