package ai.spacebot.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The model for each process slot, as {@code provider/model}; null when no model is configured.
 *
 * @param taskOverrides task type (e.g. {@code coding}) → model, for branches and workers given that task type
 * @param tiers the complexity scorer's models for channel turns; {@link Tiers#NONE} turns the scorer off
 */
public record Routing(String channel, String branch, String worker, String compactor, String cortex,
    Map<String, String> taskOverrides, Tiers tiers) {
  public static final Routing NONE = new Routing(null, null, null, null, null, Map.of(), Tiers.NONE);

  public Routing {
    taskOverrides = taskOverrides == null ? Map.of() : Map.copyOf(taskOverrides);
    tiers = tiers == null ? Tiers.NONE : tiers;
  }

  public Routing(String channel, String branch, String worker, String compactor, String cortex) {
    this(channel, branch, worker, compactor, cortex, Map.of(), Tiers.NONE);
  }

  public static Routing all(String model) {
    return new Routing(model, model, model, model, model);
  }

  /** The model of a process slot by name: channel, branch, worker, compactor, cortex. */
  public String slot(String name) {
    return switch (name) {
      case "channel" -> channel;
      case "branch" -> branch;
      case "worker" -> worker;
      case "compactor" -> compactor;
      case "cortex" -> cortex;
      default -> throw new IllegalArgumentException("no process slot " + name);
    };
  }

  /** Slot by slot (task overrides and tiers key by key), this routing's value or else the fallback's. */
  public Routing orElse(Routing fallback) {
    Map<String, String> tasks = new HashMap<>(fallback.taskOverrides);
    tasks.putAll(taskOverrides);
    return new Routing(
        channel != null ? channel : fallback.channel,
        branch != null ? branch : fallback.branch,
        worker != null ? worker : fallback.worker,
        compactor != null ? compactor : fallback.compactor,
        cortex != null ? cortex : fallback.cortex,
        tasks,
        tiers.orElse(fallback.tiers));
  }

  /** The complexity tiers' models; all null means the scorer is off. */
  public record Tiers(String light, String standard, String heavy) {
    public static final Tiers NONE = new Tiers(null, null, null);

    public boolean enabled() {
      return light != null || standard != null || heavy != null;
    }

    public String model(String tier) {
      return switch (tier) {
        case "light" -> light;
        case "standard" -> standard;
        case "heavy" -> heavy;
        default -> null;
      };
    }

    Tiers orElse(Tiers fallback) {
      return new Tiers(light != null ? light : fallback.light, standard != null ? standard : fallback.standard,
          heavy != null ? heavy : fallback.heavy);
    }
  }
}
