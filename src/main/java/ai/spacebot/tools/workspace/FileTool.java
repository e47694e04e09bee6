package ai.spacebot.tools.workspace;

import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The file tools' common frame: the work runs in {@code executeBlocking} (unordered, so one slow disk call does not
 * queue the next), and every failure — a bad argument, a path outside the workspace, an IO error — becomes an error
 * result the model can read instead of a failed future.
 */
abstract class FileTool implements Tool {
  protected final Vertx vertx;
  protected final Workspace workspace;

  FileTool(Vertx vertx, Workspace workspace) {
    this.vertx = vertx;
    this.workspace = workspace;
  }

  /** Blocking. Throws {@link IllegalArgumentException} with a message for the model when the call is wrong. */
  abstract ToolOutput call(JsonObject args) throws IOException;

  @Override
  public final Future<ToolOutput> execute(JsonObject args) {
    return vertx.executeBlocking(() -> {
      try {
        return call(args);
      } catch (IllegalArgumentException e) {
        return ToolOutput.error(e.getMessage());
      } catch (IOException e) {
        return ToolOutput.error(name() + " failed: " + Failures.describe(e));
      }
    }, false);
  }
}
