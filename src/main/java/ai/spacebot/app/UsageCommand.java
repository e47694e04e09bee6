package ai.spacebot.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spacebot usage}: an agent's model calls, tokens and cost as a table, from the running server. */
@Command(name = "usage", mixinStandardHelpOptions = true,
    description = "Show model calls, tokens and cost of an agent (the server must be running).")
final class UsageCommand implements Callable<Integer> {
  @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
  @Option(names = "--agent", defaultValue = "main", description = "Agent id (default: main).") String agent;
  @Option(names = "--from", description = "Start: a date (2025-03-01), a date-time or epoch ms (default: today).") String from;
  @Option(names = "--to", description = "End: a date (included), a date-time or epoch ms (default: end of today).") String to;
  @Option(names = "--by", defaultValue = "model", description = "Group by model, day or process (default: model).") String by;

  @Override
  public Integer call() {
    StringBuilder path = new StringBuilder("/api/usage?agent_id=").append(MemoryCommand.enc(agent))
        .append("&group_by=").append(MemoryCommand.enc(by));
    if (from != null) {
      path.append("&from=").append(MemoryCommand.enc(from));
    }
    if (to != null) {
      path.append("&to=").append(MemoryCommand.enc(to));
    }
    JsonObject r = MemoryCommand.api(options.load(), "GET", path.toString(), null);
    System.out.print(table(r));
    return 0;
  }

  /** The report as a fixed-width table with a total line. */
  static String table(JsonObject r) {
    StringBuilder out = new StringBuilder();
    out.append("Usage of agent ").append(r.getString("agent_id")).append(" from ").append(r.getString("from"))
        .append(" to ").append(r.getString("to")).append(", by ").append(r.getString("group_by")).append('\n');
    JsonArray rows = r.getJsonArray("rows", new JsonArray());
    if (rows.isEmpty()) {
      return out.append("No model calls in this period.\n").toString();
    }
    int width = "TOTAL".length();
    for (int i = 0; i < rows.size(); i++) {
      width = Math.max(width, rows.getJsonObject(i).getString("key", "").length());
    }
    String format = "%-" + width + "s %7s %12s %12s %12s %7s %12s%n";
    out.append(String.format(Locale.ROOT, format, r.getString("group_by").toUpperCase(Locale.ROOT), "CALLS", "INPUT", "OUTPUT",
        "CACHED", "FAILED", "COST_USD"));
    long calls = 0;
    long input = 0;
    long output = 0;
    long cached = 0;
    long failed = 0;
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      out.append(String.format(Locale.ROOT, format, row.getString("key"), row.getLong("calls"), row.getLong("input_tokens"),
          row.getLong("output_tokens"), row.getLong("cached_tokens"), row.getLong("failed"), usd(row.getDouble("cost_usd"))));
      calls += row.getLong("calls");
      input += row.getLong("input_tokens");
      output += row.getLong("output_tokens");
      cached += row.getLong("cached_tokens");
      failed += row.getLong("failed");
    }
    out.append(String.format(Locale.ROOT, format, "TOTAL", calls, input, output, cached, failed, usd(r.getDouble("total_cost_usd"))));
    return out.toString();
  }

  private static String usd(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
