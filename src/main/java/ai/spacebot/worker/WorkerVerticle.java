package ai.spacebot.worker;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.WorkerStart;
import ai.spacebot.llm.Prompts;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.routing.ModelRouter;
import ai.spacebot.tools.web.WebFetcher;
import ai.spacebot.tools.workspace.Sandbox;
import ai.spacebot.tools.workspace.Workspace;
import ai.spacebot.tools.workspace.WorkspaceTools;
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
 * The Worker process: takes {@link Addresses#WORKER_START} requests from any node's channels and runs
 * each worker on this verticle's event loop; commands and file IO run on worker threads.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(WorkerVerticle.class);

  private final SpacebotConfig config;
  private final ModelRouter router;
  private EventPublisher events;
  private String template;
  private Sandbox sandbox;
  /** One HTTP client for every worker of this verticle; tools fetch through it on this verticle's event loop. */
  private WebFetcher web;

  public WorkerVerticle(SpacebotConfig config, ModelRouter router) {
    this.config = config;
    this.router = router;
  }

  @Override
  public Future<?> start() {
    events = new EventPublisher(vertx);
    template = Prompts.load("worker.md");
    web = new WebFetcher(vertx, config.web());
    return vertx.executeBlocking(() -> new Sandbox(config.worker().sandbox(), config.dataDir()), false)
        .compose(found -> {
          sandbox = found;
          // an operator reads here what contains (or does not contain) the commands the agent runs
          if (config.worker().sandbox().sandboxed() && !sandbox.available()) {
            log.warn("Worker shell sandbox: {}; install bubblewrap or set worker.sandbox: none", sandbox.describe());
          } else if (sandbox.missingProcessLimit() != null) {
            log.warn("Worker shell sandbox: {}; no process limit because {}: a fork bomb is stopped only by the "
                + "command's timeout", sandbox.describe(), sandbox.missingProcessLimit());
          } else {
            log.info("Worker shell sandbox: {}", sandbox.describe());
          }
          return vertx.eventBus().<JsonObject>consumer(Addresses.WORKER_START, this::startWorker).completion();
        });
  }

  private void startWorker(Message<JsonObject> msg) {
    WorkerStart start = WorkerStart.fromJson(msg.body());
    Optional<AgentConfig> agent = config.agent(start.agentId());
    if (agent.isEmpty() || start.workerId() == null || start.replyTo() == null || start.task() == null) {
      msg.fail(400, "worker start needs worker_id, a known agent_id, task and reply_to");
      return;
    }
    String modelId = start.model() != null ? start.model() : agent.get().routing().worker();
    Optional<StreamingChatModel> model = router.model(
        new CallContext(start.agentId(), "worker", start.workerId(), start.channelId(), null), modelId);
    if (model.isEmpty()) {
      msg.fail(503, "no model is configured for workers");
      return;
    }
    Workspace.open(vertx, config.workspace(start.agentId())).compose(workspace -> {
      WorkspaceTools tools = WorkspaceTools.create(vertx, workspace, config.worker(), System.getenv(), sandbox);
      Worker worker = new Worker(vertx, context, events, start, agent.get(), config.worker(), model.get(),
          router.requestTimeout(), template, tools, config.compaction(), web, config.web().maxChars(), () -> {});
      return worker.start(Duration.ofSeconds(config.worker().timeoutSeconds()));
    })
        .onSuccess(v -> msg.reply(new JsonObject().put("worker_id", start.workerId())))
        .onFailure(err -> {
          log.warn("[{}] Worker {} could not start: {}", start.channelId(), start.workerId(), err.toString());
          msg.fail(500, "the worker could not start");
        });
  }
}
