package ai.spacebot.llm.resilience;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.UsageRecord;
import ai.spacebot.config.LlmConfig;
import ai.spacebot.config.ResilienceSettings;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.ModelCatalog;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes {@link ResilientModel}s: holds what they share (the node's {@link Cooldowns} and circuit
 * breakers, the raw models, the retry policy, the price table and the usage sink).
 *
 * <pre>{@code
 * ModelResilience resilience = ModelResilience.forNode(vertx, config.llm(), catalog); // once per verticle
 * StreamingChatModel model = resilience.model(callContext, routedModelId);            // routed + its fallbacks
 * new ToolLoop(..., model, ...)                                                          // unchanged
 * }</pre>
 */
public final class ModelResilience {
  /** Most fallbacks tried after the routed model. */
  public static final int MAX_FALLBACKS = 3;

  private final Vertx vertx;
  private final ResilienceSettings settings;
  private final Function<String, Optional<StreamingChatModel>> models;
  private final Map<String, List<String>> fallbacks;
  private final Function<String, LlmConfig.Price> prices;
  private final Consumer<UsageRecord> usage;
  private final Duration firstTokenTimeout;
  private final Cooldowns cooldowns;
  private final CircuitBreakerRegistry circuitBreakers;
  private final EventPublisher events;
  private final RetryConfig retryConfig;

  /**
   * @param models a raw model by id (production: {@code catalog::streaming})
   * @param fallbacks model id → its fallbacks ({@code llm.fallbacks})
   * @param prices a model's price, or null when unknown (production: {@code llmConfig::price})
   * @param usage where each call's {@link UsageRecord} goes
   * @param firstTokenTimeout an attempt that has produced nothing (no token, no answer) this long is given up
   *     and retried; null for none (then only the HTTP client's own timeout applies)
   * @param cooldowns the node's registry ({@link Cooldowns#of})
   * @param circuitBreakers one breaker per model id ({@link #circuitBreakers(Vertx, ResilienceSettings)})
   */
  public ModelResilience(Vertx vertx, ResilienceSettings settings, Function<String, Optional<StreamingChatModel>> models,
      Map<String, List<String>> fallbacks, Function<String, LlmConfig.Price> prices, Consumer<UsageRecord> usage,
      Duration firstTokenTimeout, Cooldowns cooldowns, CircuitBreakerRegistry circuitBreakers) {
    this.vertx = vertx;
    this.settings = settings;
    this.models = models;
    this.fallbacks = fallbacks == null ? Map.of() : fallbacks;
    this.prices = prices == null ? m -> null : prices;
    this.usage = usage == null ? u -> { } : usage;
    this.firstTokenTimeout = firstTokenTimeout;
    this.cooldowns = cooldowns;
    this.circuitBreakers = circuitBreakers;
    this.events = new EventPublisher(vertx);
    this.retryConfig = retryConfig(settings);
  }

  /**
   * Production wiring: raw models from the catalog, fallbacks and prices from {@code llm}, usage records
   * sent to {@link Addresses#USAGE_RECORD}, the node's cooldowns and circuit breakers, and a first-token
   * timeout of {@code llm.timeout_seconds}.
   */
  public static ModelResilience forNode(Vertx vertx, LlmConfig llm, ModelCatalog catalog) {
    ResilienceSettings settings = llm.resilience() == null ? ResilienceSettings.DEFAULTS : llm.resilience();
    return new ModelResilience(vertx, settings, catalog::streaming, llm.fallbacks(), llm::price,
        record -> vertx.eventBus().send(Addresses.USAGE_RECORD, record.toJson()),
        Duration.ofSeconds(llm.timeoutSeconds()), Cooldowns.of(vertx), circuitBreakers(vertx, settings));
  }

  /** The routed model followed by its configured fallbacks (at most {@value #MAX_FALLBACKS}), no repeats. */
  public List<String> chain(String routedModel) {
    List<String> chain = new ArrayList<>();
    chain.add(routedModel);
    for (String m : fallbacks.getOrDefault(routedModel, List.of())) {
      if (chain.size() > MAX_FALLBACKS) {
        break;
      }
      if (m != null && !chain.contains(m)) {
        chain.add(m);
      }
    }
    return List.copyOf(chain);
  }

  /** A resilient model for one caller: the routed model and its configured fallbacks. */
  public ResilientModel model(CallContext context, String routedModel) {
    return model(context, chain(routedModel));
  }

  /** A resilient model over an explicit chain (first = routed model; at most 1 + {@value #MAX_FALLBACKS} used). */
  public ResilientModel model(CallContext context, List<String> chain) {
    if (chain == null || chain.isEmpty()) {
      throw new IllegalArgumentException("a model chain needs at least one model");
    }
    List<String> used = chain.size() > 1 + MAX_FALLBACKS ? chain.subList(0, 1 + MAX_FALLBACKS) : chain;
    return new ResilientModel(this, context, List.copyOf(used));
  }

  public Cooldowns cooldowns() {
    return cooldowns;
  }

  public CircuitBreakerRegistry circuitBreakers() {
    return circuitBreakers;
  }

  public ResilienceSettings settings() {
    return settings;
  }

  Vertx vertx() {
    return vertx;
  }

  Optional<StreamingChatModel> raw(String modelId) {
    try {
      return models.apply(modelId);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  LlmConfig.Price price(String modelId) {
    return prices.apply(modelId);
  }

  Consumer<UsageRecord> usage() {
    return usage;
  }

  Duration firstTokenTimeout() {
    return firstTokenTimeout;
  }

  EventPublisher events() {
    return events;
  }

  RetryConfig retryConfig() {
    return retryConfig;
  }

  /**
   * The retry policy of one model: {@code maxAttempts} calls; waits of {@code initialBackoffMs} doubled per
   * retry, or the provider's Retry-After; only transient failures, and not when Retry-After is longer than
   * {@code maxRetryAfterSeconds}.
   */
  static RetryConfig retryConfig(ResilienceSettings s) {
    long max = Duration.ofSeconds(s.maxRetryAfterSeconds()).toMillis();
    IntervalBiFunction<Object> interval = (attempt, outcome) -> {
      if (outcome.isLeft()) {
        Duration retryAfter = RetryAfter.of(outcome.getLeft());
        if (retryAfter != null) {
          return Math.max(1, retryAfter.toMillis());
        }
      }
      long wait = (long) s.initialBackoffMs() << Math.min(20, Math.max(0, attempt - 1));
      return Math.max(1, wait);
    };
    return RetryConfig.custom()
        .maxAttempts(Math.max(1, s.maxAttempts()))
        .intervalBiFunction(interval)
        .retryOnException(err -> {
          Failure f = Failure.classify(err);
          return f.retriable() && (f.retryAfter() == null || f.retryAfter().toMillis() <= max);
        })
        .failAfterMaxAttempts(false)
        .writableStackTraceEnabled(false)
        .build();
  }

  /**
   * The node's circuit breakers, one per model id: open when {@code circuitFailureRate}% of the last
   * {@code circuitWindow} calls failed, for {@code circuitOpenSeconds}. The first caller's settings hold.
   */
  public static CircuitBreakerRegistry circuitBreakers(Vertx vertx, ResilienceSettings s) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap("spacebot.llm.resilience");
    synchronized (ModelResilience.class) {
      Holder h = map.get("circuit-breakers");
      if (h == null) {
        h = new Holder(newCircuitBreakers(s));
        map.put("circuit-breakers", h);
      }
      return h.registry();
    }
  }

  /** A fresh registry (tests; or a caller that wants breakers of its own). */
  public static CircuitBreakerRegistry newCircuitBreakers(ResilienceSettings s) {
    int window = Math.max(1, s.circuitWindow());
    return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(window)
        .minimumNumberOfCalls(window)
        .failureRateThreshold(Math.max(1, Math.min(100, s.circuitFailureRate())))
        .waitDurationInOpenState(Duration.ofSeconds(Math.max(1, s.circuitOpenSeconds())))
        .permittedNumberOfCallsInHalfOpenState(Math.min(window, 3))
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .build());
  }

  private record Holder(CircuitBreakerRegistry registry) implements Shareable {}
}
