package ai.spacebot.llm.routing;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.UsageRecord;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.LlmConfig;
import ai.spacebot.config.Routing;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.LlmMetrics;
import ai.spacebot.llm.ModelCatalog;
import ai.spacebot.llm.resilience.Cooldowns;
import ai.spacebot.llm.resilience.ModelResilience;
import ai.spacebot.llm.usage.BudgetGate;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model a call goes to, and the call's resilience around it.
 *
 * <p>Order: the conversation's pin (set through the API) → the task type's override (branches and
 * workers) → for a channel turn a person started, the complexity tier's model (when tiers are
 * configured) → the process slot of the agent (already merged with the defaults). The routed model comes
 * wrapped: retries, its fallback chain, shared cooldowns, a usage record and metrics per call, and the
 * budget gate, which refuses calls for a scope that spent its day's budget.
 */
public final class ModelRouter {
  private static final Logger log = LoggerFactory.getLogger(ModelRouter.class);

  /** A routed model; {@code tier} and {@code why} are set when the complexity scorer chose it. */
  public record Route(String model, String tier, String why) {}

  /** A call refused because its agent or conversation is over today's budget; the message is for people. */
  public static final class OverBudget extends RuntimeException {
    public OverBudget(String message) {
      super(message, null, false, false);
    }
  }

  private final ModelCatalog catalog;
  private final LlmConfig llm;
  private final ModelResilience resilience;
  private final BudgetGate budgets;

  public ModelRouter(Vertx vertx, LlmConfig llm, ModelCatalog catalog, BudgetGate budgets) {
    this.catalog = catalog;
    this.llm = llm;
    this.budgets = budgets;
    LlmMetrics metrics = catalog.metrics();
    this.resilience = new ModelResilience(vertx, llm.resilience(), catalog::streaming, llm.fallbacks(), llm::price,
        usage -> {
          vertx.eventBus().send(Addresses.USAGE_RECORD, usage.toJson());
          record(metrics, usage);
        },
        catalog.timeout(), Cooldowns.of(vertx), ModelResilience.circuitBreakers(vertx, llm.resilience()));
    // Every node counts the cooldowns it hears of: its own, and in a cluster the other nodes' too.
    vertx.eventBus().<io.vertx.core.json.JsonObject>localConsumer(Addresses.MODEL_COOLDOWN, msg ->
        metrics.cooldown(msg.body().getString("model"), msg.body().getBoolean("quota", false)));
  }

  private void record(LlmMetrics metrics, UsageRecord u) {
    if (u.fallbackPosition() > 0 && u.outcome().equals("ok")) {
      // The routed model is the one whose fallback list has this model at this position.
      String from = llm.fallbacks().entrySet().stream()
          .filter(e -> e.getValue().size() >= u.fallbackPosition() && e.getValue().get(u.fallbackPosition() - 1).equals(u.model()))
          .map(java.util.Map.Entry::getKey).findFirst().orElse("unknown");
      metrics.fallback(from, u.model());
    }
    String provider = u.model().contains("/") ? u.model().substring(0, u.model().indexOf('/')) : u.model();
    metrics.call(provider, u.model(), u.outcome(), Duration.ofMillis(u.latencyMs()));
    if (u.outcome().equals("ok")) {
      metrics.tokens(provider, u.model(), u.inputTokens(), u.outputTokens(), u.cachedTokens());
      metrics.cost(provider, u.model(), u.costUsd());
    }
  }

  /**
   * @param userTexts what the people said in this turn; empty for a turn nobody started (a re-trigger),
   *     which is never scored
   */
  public Route channelTurn(AgentConfig agent, String conversationPin, List<String> userTexts) {
    if (conversationPin != null) {
      return new Route(conversationPin, null, null);
    }
    Routing routing = agent.routing();
    if (!userTexts.isEmpty() && routing.tiers().enabled()) {
      Optional<TierChoice> choice = TierChoice.choose(routing, userTexts);
      if (choice.isPresent()) {
        log.debug("[{}] Complexity tier {}", agent.id(), choice.get().explanation());
        return new Route(choice.get().model(), choice.get().tier(), choice.get().explanation());
      }
    }
    return new Route(routing.channel(), null, null);
  }

  /** A branch's or worker's model: the conversation's pin, else the task type's override, else the slot. */
  public String forProcess(AgentConfig agent, String slot, String conversationPin, String taskType) {
    if (conversationPin != null) {
      return conversationPin;
    }
    if (taskType != null) {
      String override = agent.routing().taskOverrides().get(taskType);
      if (override != null) {
        return override;
      }
    }
    return agent.routing().slot(slot);
  }

  /**
   * The model to call for a context — the routed model with its fallbacks, retries and budget check —
   * or empty when none is configured.
   */
  public Optional<StreamingChatModel> model(CallContext context, String modelId) {
    if (modelId == null || catalog.streaming(modelId).isEmpty()) {
      return Optional.empty();
    }
    StreamingChatModel resilient = resilience.model(context, modelId);
    return Optional.of(new StreamingChatModel() {
      @Override
      public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        Optional<String> over = budgets.reason(context.agentId(), context.conversationId());
        if (over.isPresent()) {
          handler.onError(new OverBudget(over.get()));
        } else {
          resilient.chat(request, handler);
        }
      }
    });
  }

  /** Why calls for this scope are refused now (over budget), if they are. */
  public Optional<String> overBudget(String agentId, String conversationId) {
    return budgets.reason(agentId, conversationId);
  }

  /**
   * How long one model request may take in a tool loop, retries and fallbacks included: every model
   * of the longest chain, each with all its attempts, plus the waits between them.
   */
  public Duration requestTimeout() {
    int chain = 1 + llm.fallbacks().values().stream().mapToInt(List::size).max().orElse(0);
    long perModel = catalog.timeout().toSeconds() * llm.resilience().maxAttempts()
        + (long) llm.resilience().maxRetryAfterSeconds() * (llm.resilience().maxAttempts() - 1);
    return Duration.ofSeconds(Math.min(perModel * chain + 10, 3600));
  }

  public ModelCatalog catalog() {
    return catalog;
  }
}
