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

  /**
   * Whether the result is fenced as data in the model's prompt ({@link ai.spacebot.llm.Fence}): true for anything
   * that returns outside content (command output, files, memories, transcripts, pages). Tools whose results are
   * only the process's own acknowledgements ("Sent.", "Worker w-… started") say false.
   */
  default boolean fencesResult() {
    return true;
  }

  /** Runs the call. A failed future is reported to the model as an error result, never thrown at the user. */
  Future<ToolOutput> execute(JsonObject arguments);
}
