package ai.spacebot.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spacebot models}: the running server's providers, models and routing ({@code GET /api/models}) as tables. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Show the configured providers, the models in use (by whom, at what price) and each agent's routing "
        + "(the server must be running).")
final class ModelsCommand implements Callable<Integer> {
  @Mixin Main.ConfigOptions options = new Main.ConfigOptions();

  @Option(names = "--json", description = "Print the raw JSON answer.")
  boolean json;

  @Override
  public Integer call() {
    JsonObject r = MemoryCommand.api(options.load(), "GET", "/api/models", null);
    System.out.print(json ? r.encodePrettily() + "\n" : render(r));
    return 0;
  }

  static String render(JsonObject r) {
    StringBuilder out = new StringBuilder();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("PROVIDER", "KIND", "DEFAULT MODEL", "BASE URL"));
    for (JsonObject p : objects(r.getJsonArray("providers"))) {
      rows.add(List.of(p.getString("id"), p.getString("kind"), or(p.getString("default_model")), or(p.getString("base_url"), "(public)")));
    }
    out.append("Providers\n");
    table(out, rows);

    rows = new ArrayList<>();
    rows.add(List.of("MODEL", "PRICE in/out/cached USD per 1M", "USED BY"));
    for (JsonObject m : objects(r.getJsonArray("models"))) {
      JsonObject price = m.getJsonObject("price");
      String priced = price == null ? "-" : String.format(Locale.ROOT, "%s / %s / %s", usd(price.getDouble("input")),
          usd(price.getDouble("output")), usd(price.getDouble("cached_input")));
      String users = String.join(", ", m.getJsonArray("used_by").stream().map(String::valueOf).toList());
      JsonArray fallbacks = m.getJsonArray("fallbacks", new JsonArray());
      if (!fallbacks.isEmpty()) {
        users += (users.isEmpty() ? "" : "; ") + "falls back to " + String.join(", ", fallbacks.stream().map(String::valueOf).toList());
      }
      rows.add(List.of(m.getString("id"), priced, users.isEmpty() ? "-" : users));
    }
    out.append("\nModels\n");
    table(out, rows);

    out.append("\nRouting\n");
    for (JsonObject a : objects(r.getJsonArray("agents"))) {
      JsonObject routing = a.getJsonObject("routing");
      rows = new ArrayList<>();
      rows.add(List.of("agent " + a.getString("id"), ""));
      for (String slot : List.of("channel", "branch", "worker", "compactor", "cortex")) {
        rows.add(List.of(slot, or(routing.getString(slot))));
      }
      JsonObject tasks = routing.getJsonObject("task_overrides", new JsonObject());
      for (String task : tasks.fieldNames().stream().sorted().toList()) {
        rows.add(List.of("task " + task, tasks.getString(task)));
      }
      JsonObject tiers = routing.getJsonObject("tiers", new JsonObject());
      if (tiers.isEmpty()) {
        rows.add(List.of("tiers", "off"));
      }
      for (String tier : List.of("light", "standard", "heavy")) {
        if (tiers.getString(tier) != null) {
          rows.add(List.of("tier " + tier, tiers.getString(tier)));
        }
      }
      table(out, rows);
    }
    return out.toString();
  }

  private static void table(StringBuilder out, List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of() : array.stream().map(JsonObject.class::cast).toList();
  }

  private static String usd(Double d) {
    return d == null ? "?" : String.format(Locale.ROOT, "%.3f", d).replaceAll("0$", "");
  }

  private static String or(String s) {
    return or(s, "-");
  }

  private static String or(String s, String otherwise) {
    return s == null ? otherwise : s;
  }
}
