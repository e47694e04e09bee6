package ai.spacebot.config;

/** The model for each process slot, as {@code provider/model}; null when no model is configured. */
public record Routing(String channel, String branch, String worker, String compactor, String cortex) {
  public static final Routing NONE = new Routing(null, null, null, null, null);

  public static Routing all(String model) {
    return new Routing(model, model, model, model, model);
  }

  /** Slot by slot, this routing's value or else the fallback's. */
  public Routing orElse(Routing fallback) {
    return new Routing(
        channel != null ? channel : fallback.channel,
        branch != null ? branch : fallback.branch,
        worker != null ? worker : fallback.worker,
        compactor != null ? compactor : fallback.compactor,
        cortex != null ? cortex : fallback.cortex);
  }
}
