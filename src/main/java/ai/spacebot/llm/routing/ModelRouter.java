package ai.spacebot.llm.routing;

import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.Routing;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.ModelCatalog;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model a call goes to, in this order: the conversation's pin (set through the API) → the task
 * type's override (branches and workers) → for a channel turn a person started, the complexity tier's
 * model (when tiers are configured) → the process slot of the agent (already merged with the defaults).
 */
public final class ModelRouter {
  private static final Logger log = LoggerFactory.getLogger(ModelRouter.class);

  /** A routed model; {@code tier} and {@code why} are set when the complexity scorer chose it. */
  public record Route(String model, String tier, String why) {}

  private final ModelCatalog catalog;

  public ModelRouter(ModelCatalog catalog) {
    this.catalog = catalog;
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
      Optional<TierChoice.Choice> choice = TierChoice.choose(routing, userTexts);
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

  /** The model to call for a context, or empty when none is configured. */
  public Optional<StreamingChatModel> model(CallContext context, String modelId) {
    return catalog.streaming(modelId);
  }

  public ModelCatalog catalog() {
    return catalog;
  }
}
