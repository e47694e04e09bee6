package ai.spacebot.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;

/**
 * Model-call metrics, as the Prometheus endpoint shows them:
 * <ul>
 *   <li>{@code spacebot_llm_calls_total{provider,model,outcome}}: one per model request (each retry and each
 *       fallback attempt counts), outcome e.g. {@code ok}, {@code error}, {@code rate_limited},
 *       {@code timeout}, {@code cancelled}
 *   <li>{@code spacebot_llm_latency_seconds{provider,model,outcome}}: a histogram of request time, start to
 *       last streamed token
 *   <li>{@code spacebot_llm_tokens_total{provider,model,kind}}: kind {@code input} (all prompt tokens, cached
 *       ones included, as providers report them), {@code output}, {@code cached} (the cached part of input)
 *   <li>{@code spacebot_llm_cost_usd_total{provider,model}}
 *   <li>{@code spacebot_llm_fallbacks_total{from_model,to_model}}
 *   <li>{@code spacebot_llm_cooldowns_total{model,reason}}: reason {@code quota} or {@code rate_limit}
 * </ul>
 * One instance per application, built with the process's registry by {@code Bootstrap}; model-call code gets
 * it from {@link ModelCatalog#metrics()}. Thread-safe; every method is cheap and never throws.
 */
public final class LlmMetrics {
  /** Latency buckets, seconds: model calls take from a fraction of a second to minutes. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
      Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

  private final MeterRegistry registry;

  public LlmMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records nothing: for code built without an application (tests, tools). */
  public static LlmMetrics noop() {
    return new LlmMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One model request finished with {@code outcome} after {@code latency}. */
  public void call(String provider, String model, String outcome, Duration latency) {
    String o = tag(outcome);
    Counter.builder("spacebot.llm.calls").description("Model requests, by outcome")
        .tags("provider", tag(provider), "model", tag(model), "outcome", o).register(registry).increment();
    if (latency != null && !latency.isNegative()) {
      Timer.builder("spacebot.llm.latency").description("Model request time, start to last token")
          .tags("provider", tag(provider), "model", tag(model), "outcome", o)
          .serviceLevelObjectives(BUCKETS).register(registry).record(latency);
    }
  }

  /** Token usage of one request, as the provider reported it; negative counts are ignored. */
  public void tokens(String provider, String model, long input, long output, long cached) {
    add(provider, model, "input", input);
    add(provider, model, "output", output);
    add(provider, model, "cached", cached);
  }

  private void add(String provider, String model, String kind, long n) {
    if (n > 0) {
      Counter.builder("spacebot.llm.tokens").description("Model tokens, by kind (input includes cached)")
          .tags("provider", tag(provider), "model", tag(model), "kind", kind).register(registry).increment(n);
    }
  }

  /** The computed price of one request in USD; zero, negative and NaN amounts are ignored. */
  public void cost(String provider, String model, double usd) {
    if (usd > 0 && Double.isFinite(usd)) {
      Counter.builder("spacebot.llm.cost.usd").description("Model spend in USD, from the price table")
          .tags("provider", tag(provider), "model", tag(model)).register(registry).increment(usd);
    }
  }

  /** A request moved from one model to the next of its fallback list (full {@code provider/model} ids). */
  public void fallback(String fromModel, String toModel) {
    Counter.builder("spacebot.llm.fallbacks").description("Moves to the next model of a fallback list")
        .tags("from_model", tag(fromModel), "to_model", tag(toModel)).register(registry).increment();
  }

  /** A model was put in cooldown: {@code quota} (out of quota or credit) or else rate limited. */
  public void cooldown(String model, boolean quota) {
    Counter.builder("spacebot.llm.cooldowns").description("Models put in cooldown, by reason")
        .tags("model", tag(model), "reason", quota ? "quota" : "rate_limit").register(registry).increment();
  }

  private static String tag(String value) {
    return value == null || value.isBlank() ? "unknown" : value;
  }
}
