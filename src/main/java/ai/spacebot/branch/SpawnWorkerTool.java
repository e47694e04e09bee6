package ai.spacebot.branch;

import static ai.spacebot.tools.ToolArguments.requiredString;

import ai.spacebot.bus.ProcessKind;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import ai.spacebot.tools.ToolSpecs;
import dev.langchain4j.agent.tool.ToolSpecification;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * A branch's {@code spawn_worker}: asks the channel to start the worker, so the channel's caps and
 * duplicate check apply and the worker's result goes to the conversation.
 */
record SpawnWorkerTool(Function<ProcessReport, Future<Message<JsonObject>>> channel, String agentId, String channelId,
    String branchId) implements Tool {
  static final ToolSpecification SPEC = ToolSpecs.of("spawn_worker",
      "Start a background worker for a task that needs shell commands or files. Returns at once with the worker's id; "
          + "its result goes to the conversation.",
      p -> p.addStringProperty("task", "What the worker should do, self-contained.")
          .addBooleanProperty("interactive", "true if the worker should wait for follow-up input after it answers.")
          .required("task"));

  public ToolSpecification specification() {
    return SPEC;
  }

  public Future<ToolOutput> execute(JsonObject args) {
    String task = requiredString(args, "task");
    boolean interactive = Boolean.TRUE.equals(args.getValue("interactive"));
    return channel.apply(new ProcessReport.SpawnWorker(branchId, ProcessKind.BRANCH, agentId, channelId, task, interactive))
        .map(reply -> ToolOutput.ok("Worker " + reply.body().getString("worker_id") + " started."))
        .recover(err -> Future.succeededFuture(ToolOutput.error(
            err instanceof ReplyException re && re.failureCode() >= 0 ? re.getMessage() : "Error: " + err.getMessage())));
  }
}
