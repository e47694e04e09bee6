package ai.spacebot.tools.workspace;

import ai.spacebot.config.WorkerSettings;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ai.spacebot.config.SandboxSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared test setup: limits small enough to hit, and calling a tool the way a process would, awaited from here. */
final class Calls {
  static final int CAP = 51_200;
  static final WorkerSettings SETTINGS = new WorkerSettings(2, 10, 3, 600, 10, 20, CAP, List.of("SPACEBOT_TEST_PASS"),
      0.70, 0.50, 0.75, SandboxSettings.DEFAULTS);

  private Calls() {}

  static ToolOutput call(Tool tool, JsonObject args) throws Exception {
    return tool.execute(args).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Alive and not a zombie: a killed orphan stays a zombie in containers whose init does not reap. */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** Our running {@code sleep} processes (the shell's children and anything re-parented is not ours any more). */
  static List<ProcessHandle> sleeps() {
    return ProcessHandle.current().descendants()
        .filter(Calls::running)
        .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
        .toList();
  }
}
