package ai.spacebot.worker;

import static ai.spacebot.tools.ToolArguments.requiredString;

import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import ai.spacebot.tools.ToolSpecs;
import dev.langchain4j.agent.tool.ToolSpecification;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/** {@code set_status}: a short line shown in the channel's status block and as a worker_status event. */
record SetStatusTool(Consumer<String> sink) implements Tool {
  private static final int MAX_CHARS = 200;
  private static final ToolSpecification SPEC = ToolSpecs.of("set_status",
      "Say in a few words what you are doing now; people in the conversation can see it.",
      p -> p.addStringProperty("status", "e.g. \"running the test suite\"").required("status"));

  public ToolSpecification specification() {
    return SPEC;
  }

  public Future<ToolOutput> execute(JsonObject args) {
    String status = requiredString(args, "status").strip();
    if (status.length() > MAX_CHARS) {
      status = status.substring(0, MAX_CHARS) + "…";
    }
    sink.accept(status);
    return Future.succeededFuture(ToolOutput.ok("Status set."));
  }
}
