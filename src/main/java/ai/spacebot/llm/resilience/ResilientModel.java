package ai.spacebot.llm.resilience;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.UsageRecord;
import ai.spacebot.config.LlmConfig;
import ai.spacebot.llm.CallContext;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StreamingChatModel} over a chain of models (the routed one, then its fallbacks): each model
 * gets its retries (transient failures only, Retry-After honoured), models in cooldown or with an open
 * circuit are skipped (when all are, the first is forced through with a single try), a 429 that outlives
 * the retries cools its model down node- and cluster-wide, and an out-of-quota model cools down at once.
 * An empty answer right after tool results ends the turn; anywhere else it is a failure. Partials are forwarded as they arrive; the first one commits
 * the attempt, whose later failure then goes to the caller instead of being retried. Every call to a
 * model produces a {@link UsageRecord}. Nothing blocks: waits are Vert.x timers; callbacks arrive on the
 * HTTP client's threads, as the raw model's do.
 */
public final class ResilientModel implements StreamingChatModel {
  private static final Logger log = LoggerFactory.getLogger(ResilientModel.class);

  private final ModelResilience shared;
  private final CallContext context;
  private final List<String> chain;

  ResilientModel(ModelResilience shared, CallContext context, List<String> chain) {
    this.shared = shared;
    this.context = context;
    this.chain = chain;
  }

  /** The models tried in order. */
  public List<String> chain() {
    return chain;
  }

  public CallContext context() {
    return context;
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    new Call(request, handler).next(0);
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return primary().map(StreamingChatModel::defaultRequestParameters).orElse(ChatRequestParameters.builder().build());
  }

  @Override
  public ModelProvider provider() {
    return primary().map(StreamingChatModel::provider).orElse(ModelProvider.OTHER);
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return primary().map(StreamingChatModel::supportedCapabilities).orElse(Set.of());
  }

  private Optional<StreamingChatModel> primary() {
    return shared.raw(chain.get(0));
  }

  /** One {@code chat} over the chain. */
  private final class Call {
    private final ChatRequest request;
    private final StreamingChatResponseHandler handler;
    private final Map<String, String> failures = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile boolean anyCalled;
    private volatile Throwable lastError;

    Call(ChatRequest request, StreamingChatResponseHandler handler) {
      this.request = request;
      this.handler = handler;
    }

    /** Tries the chain from {@code from}, skipping cooling, open or unconfigured models. */
    void next(int from) {
      for (int i = from; i < chain.size(); i++) {
        String model = chain.get(i);
        Optional<StreamingChatModel> raw = shared.raw(model);
        if (raw.isEmpty()) {
          failures.putIfAbsent(model, "not configured");
          continue;
        }
        Optional<Cooldowns.Entry> cooling = shared.cooldowns().active(model);
        if (cooling.isPresent()) {
          failures.putIfAbsent(model, "cooling down until " + Instant.ofEpochMilli(cooling.get().untilMillis())
              + " (" + cooling.get().reason() + ")");
          continue;
        }
        CircuitBreaker breaker = shared.circuitBreakers().circuitBreaker(model);
        if (!breaker.tryAcquirePermission()) {
          failures.putIfAbsent(model, "circuit open");
          continue;
        }
        start(i, raw.get(), breaker, true, false);
        return;
      }
      if (!anyCalled) {
        // Everything is cooling or open: try the first usable model anyway rather than fail without a call.
        for (int i = 0; i < chain.size(); i++) {
          Optional<StreamingChatModel> raw = shared.raw(chain.get(i));
          if (raw.isPresent()) {
            CircuitBreaker breaker = shared.circuitBreakers().circuitBreaker(chain.get(i));
            start(i, raw.get(), breaker, breaker.tryAcquirePermission(), true);
            return;
          }
        }
      }
      fail();
    }

    private void start(int position, StreamingChatModel raw, CircuitBreaker breaker, boolean permitted, boolean forced) {
      failures.remove(chain.get(position));
      Retry.AsyncContext<Object> retry = Retry.of(chain.get(position), shared.retryConfig()).asyncContext();
      new Attempt(position, raw, breaker, retry, permitted, forced, 1).run();
    }

    private void fail() {
      String message = chain.toString();
      log.warn("all models failed for agent={} process={}:{} conversation={}: {}", context.agentId(),
          context.processKind(), context.processId(), context.conversationId(), failures);
      Map<String, String> snapshot;
      synchronized (failures) {
        snapshot = failures.isEmpty() ? Map.of(message, "no model") : new LinkedHashMap<>(failures);
      }
      // The chain's cooldowns as they stand now, so the caller can say when a model is expected back.
      List<Cooldowns.Entry> cooling = chain.stream().map(m -> shared.cooldowns().active(m)).flatMap(Optional::stream)
          .toList();
      handler.onError(new AllModelsFailedException(snapshot, cooling, lastError));
    }

    /** One call of one model; it forwards partials, and decides what its failure means. */
    private final class Attempt implements StreamingChatResponseHandler {
      private final int position;
      private final String model;
      private final StreamingChatModel raw;
      private final CircuitBreaker breaker;
      private final Retry.AsyncContext<Object> retry;
      private final boolean forced;
      private final int number;
      private final long startNanos = System.nanoTime();
      private final long startMillis = System.currentTimeMillis();
      private final boolean permitted;
      private boolean committed;
      private boolean finished;
      private long watchdog = -1;

      Attempt(int position, StreamingChatModel raw, CircuitBreaker breaker, Retry.AsyncContext<Object> retry,
          boolean permitted, boolean forced, int number) {
        this.position = position;
        this.model = chain.get(position);
        this.raw = raw;
        this.breaker = breaker;
        this.retry = retry;
        this.permitted = permitted;
        this.forced = forced;
        this.number = number;
      }

      void run() {
        anyCalled = true;
        Duration timeout = shared.firstTokenTimeout();
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
          watchdog = shared.vertx().setTimer(timeout.toMillis(), id -> timedOut(timeout));
        }
        try {
          raw.chat(request, this);
        } catch (RuntimeException e) {
          onError(e);
        }
      }

      private void timedOut(Duration timeout) {
        boolean wasCommitted;
        synchronized (this) {
          if (finished || committed) {
            return;
          }
          finished = true;
          wasCommitted = committed;
        }
        failed(new TimeoutException("no answer from " + model + " within " + timeout.toSeconds() + " s"), wasCommitted);
      }

      /** True when the partial may go to the caller (the attempt is live); the first one commits it. */
      private boolean commit() {
        boolean first;
        synchronized (this) {
          if (finished) {
            return false;
          }
          first = !committed;
          committed = true;
        }
        if (first && watchdog >= 0) {
          shared.vertx().cancelTimer(watchdog);
        }
        return true;
      }

      private boolean live() {
        synchronized (this) {
          return !finished;
        }
      }

      /** Marks the attempt over; false if it already was (a late callback after the watchdog). */
      private boolean finish() {
        synchronized (this) {
          if (finished) {
            return false;
          }
          finished = true;
        }
        if (watchdog >= 0) {
          shared.vertx().cancelTimer(watchdog);
        }
        return true;
      }

      private synchronized boolean isCommitted() {
        return committed;
      }

      @Override
      public void onPartialResponse(String partial) {
        if (partial != null && !partial.isEmpty() && commit()) {
          handler.onPartialResponse(partial);
        }
      }

      @Override
      public void onPartialResponse(PartialResponse partial, PartialResponseContext ctx) {
        if (partial != null && partial.text() != null && !partial.text().isEmpty() && commit()) {
          handler.onPartialResponse(partial, ctx);
        }
      }

      @Override
      public void onPartialThinking(PartialThinking partial) {
        if (commit()) {
          handler.onPartialThinking(partial);
        }
      }

      @Override
      public void onPartialThinking(PartialThinking partial, PartialThinkingContext ctx) {
        if (commit()) {
          handler.onPartialThinking(partial, ctx);
        }
      }

      @Override
      public void onPartialToolCall(PartialToolCall partial) {
        if (commit()) {
          handler.onPartialToolCall(partial);
        }
      }

      @Override
      public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext ctx) {
        if (commit()) {
          handler.onPartialToolCall(partial, ctx);
        }
      }

      @Override
      public void onCompleteToolCall(CompleteToolCall complete) {
        if (live()) {
          commit();
          handler.onCompleteToolCall(complete);
        }
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        // After tool results an empty answer is the model's way of ending its turn (the tool did the
        // work, e.g. a worker whose result comes later): an answer, not a failure to retry or count.
        if (!isCommitted() && isEmpty(response) && !afterToolResults(request)) {
          onError(new EmptyResponseException(model + " returned an empty response"));
          return;
        }
        if (!finish()) {
          return;
        }
        long ms = elapsedMs();
        if (permitted) {
          breaker.onSuccess(ms, TimeUnit.MILLISECONDS);
        }
        retry.onComplete();
        record(response, ms, "ok", null);
        handler.onCompleteResponse(response);
      }

      @Override
      public void onError(Throwable error) {
        boolean wasCommitted;
        synchronized (this) {
          if (finished) {
            return;
          }
          finished = true;
          wasCommitted = committed;
        }
        if (watchdog >= 0) {
          shared.vertx().cancelTimer(watchdog);
        }
        failed(error, wasCommitted);
      }

      private void failed(Throwable error, boolean wasCommitted) {
        long ms = elapsedMs();
        Failure failure = Failure.classify(error);
        record(null, ms, "failed", failure.brief());
        if (permitted) {
          if (failure.kind() == Failure.Kind.FATAL && failure.status() != 401 && failure.status() != 403
              || failure.kind() == Failure.Kind.WAITING) {
            breaker.releasePermission(); // the request's fault, not the model's
          } else {
            breaker.onError(ms, TimeUnit.MILLISECONDS, error);
          }
        }
        lastError = error;
        if (wasCommitted || !failure.fallsBack()) {
          log.warn("model {} failed{} for agent={} process={}:{} conversation={}: {}", model,
              wasCommitted ? " mid-stream" : "", context.agentId(), context.processKind(), context.processId(),
              context.conversationId(), failure.brief());
          handler.onError(error);
          return;
        }
        failures.put(model, failure.brief() + (number > 1 ? " (after " + number + " attempts)" : ""));
        if (failure.kind() == Failure.Kind.QUOTA) {
          coolDown(Duration.ofSeconds(shared.settings().quotaCooldownSeconds()), "out of quota: " + failure.brief(), true);
          next(position + 1);
          return;
        }
        // A forced attempt (every model cooling or open) gets one try: its provider asked us to slow down,
        // and retries would multiply each user message into several calls to it.
        long wait = forced ? -1 : retry.onError(error);
        if (wait >= 0 && number < Math.max(1, shared.settings().maxAttempts())) {
          log.info("model {} failed ({}), attempt {} of {}; retrying in {} ms (agent={} conversation={})", model,
              failure.brief(), number, shared.settings().maxAttempts(), wait, context.agentId(), context.conversationId());
          shared.vertx().setTimer(Math.max(1, wait), id -> retryAttempt());
          return;
        }
        if (failure.kind() == Failure.Kind.RATE_LIMIT) {
          Duration cooldown = Duration.ofSeconds(shared.settings().cooldownSeconds());
          if (failure.retryAfter() != null && failure.retryAfter().compareTo(cooldown) > 0) {
            cooldown = failure.retryAfter();
          }
          coolDown(cooldown, "rate limited: " + failure.brief(), false);
        }
        log.info("model {} gave up ({}); {} (agent={} conversation={})", model, failure.brief(),
            position + 1 < chain.size() ? "trying the next model" : "no more models", context.agentId(),
            context.conversationId());
        next(position + 1);
      }

      private void retryAttempt() {
        boolean permit = breaker.tryAcquirePermission();
        if (!permit && !forced) {
          failures.put(model, failures.getOrDefault(model, "failed") + "; circuit opened");
          next(position + 1);
          return;
        }
        new Attempt(position, raw, breaker, retry, permit, forced, number + 1).run();
      }

      private void coolDown(Duration duration, String reason, boolean quota) {
        Cooldowns.Entry entry = shared.cooldowns().coolDown(model, duration, reason, quota);
        log.warn("model {} cooling down for {} s: {}", model, duration.toSeconds(), reason);
        try {
          shared.events().publish(new AgentEvent.ModelCooldown(context.agentId(), context.conversationId(), model,
              reason, entry.untilMillis(), quota));
        } catch (RuntimeException e) {
          log.debug("could not publish the cooldown event: {}", e.toString());
        }
      }

      private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      }

      private void record(ChatResponse response, long latencyMs, String outcome, String error) {
        long input = 0;
        long output = 0;
        long cached = 0;
        TokenUsage tokens = response == null ? null : response.tokenUsage();
        if (tokens != null) {
          input = tokens.inputTokenCount() == null ? 0 : tokens.inputTokenCount();
          output = tokens.outputTokenCount() == null ? 0 : tokens.outputTokenCount();
          cached = cachedTokens(tokens);
        }
        LlmConfig.Price price = shared.price(model);
        double cost = price == null ? 0.0 : price.cost(input, output, cached);
        UsageRecord usage = new UsageRecord(UUID.randomUUID().toString(), startMillis, context.agentId(),
            context.processKind(), context.processId(), context.conversationId(), model, input, output, cached,
            latencyMs, cost, context.tier(), position, outcome, error);
        try {
          shared.usage().accept(usage);
        } catch (RuntimeException e) {
          log.warn("could not record usage of {}: {}", model, e.toString());
        }
      }
    }
  }

  static boolean isEmpty(ChatResponse response) {
    if (response == null) {
      return true;
    }
    AiMessage ai = response.aiMessage();
    return ai == null || ((ai.text() == null || ai.text().isBlank()) && !ai.hasToolExecutionRequests());
  }

  /** The request ends with tool results: the model already acted in this turn. */
  static boolean afterToolResults(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    return !messages.isEmpty() && messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage;
  }

  static long cachedTokens(TokenUsage tokens) {
    try {
      if (tokens instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null
          && openAi.inputTokensDetails().cachedTokens() != null) {
        return openAi.inputTokensDetails().cachedTokens();
      }
      if (tokens instanceof AnthropicTokenUsage anthropic && anthropic.cacheReadInputTokens() != null) {
        return anthropic.cacheReadInputTokens();
      }
    } catch (LinkageError e) {
      // a provider module not on the class path
    }
    return 0;
  }
}
