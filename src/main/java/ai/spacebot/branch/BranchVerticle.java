package ai.spacebot.branch;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.BranchStart;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.llm.Prompts;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.routing.ModelRouter;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Branch process: takes {@link Addresses#BRANCH_START} requests (from any node's channels; the bus
 * balances them over every instance in the cluster) and runs each branch on this verticle's event loop.
 */
public final class BranchVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(BranchVerticle.class);

  private final SpacebotConfig config;
  private final ModelRouter router;
  private EventPublisher events;
  private String template;
  private int running;

  public BranchVerticle(SpacebotConfig config, ModelRouter router) {
    this.config = config;
    this.router = router;
  }

  @Override
  public Future<?> start() {
    events = new EventPublisher(vertx);
    template = Prompts.load("branch.md");
    return vertx.eventBus().<JsonObject>consumer(Addresses.BRANCH_START, this::startBranch).completion();
  }

  private void startBranch(Message<JsonObject> msg) {
    BranchStart start = BranchStart.fromJson(msg.body());
    Optional<AgentConfig> agent = config.agent(start.agentId());
    if (agent.isEmpty() || start.branchId() == null || start.replyTo() == null || start.description() == null) {
      msg.fail(400, "branch start needs branch_id, a known agent_id, description and reply_to");
      return;
    }
    String modelId = start.model() != null ? start.model() : agent.get().routing().branch();
    Optional<StreamingChatModel> model = router.model(
        new CallContext(start.agentId(), "branch", start.branchId(), start.channelId(), null), modelId);
    if (model.isEmpty()) {
      msg.fail(503, "no model is configured for branches");
      return;
    }
    running++;
    Branch branch = new Branch(vertx, context, events, start, agent.get(), config.branch(), model.get(),
        router.requestTimeout(), template, () -> running--);
    branch.start(Duration.ofSeconds(config.branch().timeoutSeconds()))
        .onSuccess(v -> msg.reply(new JsonObject().put("branch_id", start.branchId())))
        .onFailure(err -> {
          running--;
          log.warn("[{}] Branch {} could not start: {}", start.channelId(), start.branchId(), err.toString());
          msg.fail(500, "the branch could not start");
        });
  }
}
