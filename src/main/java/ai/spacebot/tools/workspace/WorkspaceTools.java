package ai.spacebot.tools.workspace;

import ai.spacebot.config.WorkerSettings;
import ai.spacebot.tools.Tool;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/** A worker's sandboxed tools over one workspace; {@link #killAll()} is what the worker calls when it is cancelled. */
public final class WorkspaceTools {
  private final ShellTool shell;
  private final List<Tool> tools;

  private WorkspaceTools(ShellTool shell, List<Tool> tools) {
    this.shell = shell;
    this.tools = tools;
  }

  /**
   * @param parentEnv where the shell picks its few environment variables from; production passes System.getenv()
   * @param sandbox where shell commands run
   */
  public static WorkspaceTools create(Vertx vertx, Workspace workspace, WorkerSettings settings,
      Map<String, String> parentEnv, Sandbox sandbox) {
    ShellTool shell = new ShellTool(vertx, workspace, settings, parentEnv, sandbox);
    return new WorkspaceTools(shell, List.of(
        shell,
        new FileReadTool(vertx, workspace, settings.outputCapBytes()),
        new FileWriteTool(vertx, workspace),
        new FileEditTool(vertx, workspace),
        new FileListTool(vertx, workspace)));
  }

  /** shell, file_read, file_write, file_edit, file_list. */
  public List<Tool> tools() {
    return tools;
  }

  /** Kills every running shell command with everything it started; file calls are short and left to finish. */
  public void killAll() {
    shell.killAll();
  }
}
