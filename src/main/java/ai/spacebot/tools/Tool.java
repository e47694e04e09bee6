package ai.spacebot.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A tool the model can call. Implementations run on the calling process's event loop and must not
 * block; blocking work goes through {@code executeBlocking}.
 */
public interface Tool {
  ToolSpecification specification();

  default String name() {
    return specification().name();
  }

  /** Runs the call. A failed future is reported to the model as an error result, never thrown at the user. */
  Future<ToolOutput> execute(JsonObject arguments);
}
