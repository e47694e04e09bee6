package ai.spacebot.llm.routing;

import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.LlmConfig;
import ai.spacebot.config.ProviderConfig;
import ai.spacebot.config.Routing;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/models} answers, from the configuration alone (no network): the providers (never
 * a key), every model some slot, task override, tier or fallback names with who uses it and its price,
 * and each agent's routing.
 */
public final class ModelInventory {
  private static final List<String> SLOTS = List.of("channel", "branch", "worker", "compactor", "cortex");

  private ModelInventory() {}

  public static JsonObject describe(SpacebotConfig config) {
    LlmConfig llm = config.llm();
    JsonArray providers = new JsonArray();
    for (ProviderConfig p : llm.providers().values()) {
      providers.add(new JsonObject().put("id", p.id()).put("kind", p.kind()).put("base_url", safeUrl(p.baseUrl()))
          .put("default_model", p.defaultModel()));
    }

    // Model id → who uses it, in the order first met: agents' slots, overrides and tiers, then fallbacks.
    Map<String, List<String>> usedBy = new LinkedHashMap<>();
    JsonArray agents = new JsonArray();
    for (AgentConfig a : config.agents()) {
      Routing r = a.routing();
      JsonObject routing = new JsonObject();
      for (String slot : SLOTS) {
        routing.put(slot, r.slot(slot));
        use(usedBy, r.slot(slot), a.id() + "." + slot);
      }
      JsonObject tasks = new JsonObject();
      r.taskOverrides().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
        tasks.put(e.getKey(), e.getValue());
        use(usedBy, e.getValue(), a.id() + ".task_overrides." + e.getKey());
      });
      JsonObject tiers = new JsonObject();
      for (String tier : ComplexityScorer.TIERS) {
        String model = r.tiers().model(tier);
        if (model != null) {
          tiers.put(tier, model);
          use(usedBy, model, a.id() + ".tiers." + tier);
        }
      }
      agents.add(new JsonObject().put("id", a.id()).put("name", a.name())
          .put("routing", routing.put("task_overrides", tasks).put("tiers", tiers)));
    }
    for (Map.Entry<String, List<String>> f : llm.fallbacks().entrySet()) {
      usedBy.computeIfAbsent(f.getKey(), k -> new ArrayList<>());
      for (String then : f.getValue()) {
        use(usedBy, then, "fallback of " + f.getKey());
      }
    }

    JsonArray models = new JsonArray();
    for (Map.Entry<String, List<String>> m : usedBy.entrySet()) {
      String id = m.getKey();
      int slash = id.indexOf('/');
      LlmConfig.Price price = llm.price(id);
      models.add(new JsonObject().put("id", id).put("provider", slash < 0 ? null : id.substring(0, slash))
          .put("used_by", new JsonArray(m.getValue()))
          .put("fallbacks", new JsonArray(llm.fallbacks().getOrDefault(id, List.of())))
          .put("price", price == null ? null : new JsonObject().put("input", price.input()).put("output", price.output())
              .put("cached_input", price.cachedInput())));
    }
    return new JsonObject().put("providers", providers).put("models", models).put("agents", agents);
  }

  private static void use(Map<String, List<String>> usedBy, String model, String user) {
    if (model != null) {
      List<String> users = usedBy.computeIfAbsent(model, k -> new ArrayList<>());
      if (!users.contains(user)) {
        users.add(user);
      }
    }
  }

  /** The endpoint without user info, query or fragment, where some gateways carry a key. */
  static String safeUrl(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI u = URI.create(url.strip());
      if (u.getScheme() == null || u.getHost() == null) {
        return "(not shown)";
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (RuntimeException | java.net.URISyntaxException e) {
      return "(not shown)";
    }
  }
}
