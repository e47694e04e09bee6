package ai.spacebot.bench;

import ai.spacebot.config.SandboxSettings;
import ai.spacebot.config.WorkerSettings;
import ai.spacebot.tools.ToolOutput;
import ai.spacebot.tools.workspace.Sandbox;
import ai.spacebot.tools.workspace.ShellTool;
import ai.spacebot.tools.workspace.Workspace;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the shell sandbox costs per command: N runs of {@code true} through the {@code shell} tool, one at a time,
 * under bubblewrap and unsandboxed, after a warm-up; the difference is bwrap's namespaces, mounts and prlimit.
 */
public final class ShellSandboxBench {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("spacebot-bench-sandbox");
    Workspace workspace = new Workspace(dir.resolve("agents/a/workspace"));
    Files.createDirectories(workspace.root());
    WorkerSettings settings = new WorkerSettings(5, 15, 10, 1800, 60, 600, 51_200, List.of(), 0.7, 0.5, 0.75,
        SandboxSettings.DEFAULTS);
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"));
    SandboxSettings d = SandboxSettings.DEFAULTS;
    SandboxSettings noCgroup = new SandboxSettings(d.mode(), d.network(), d.memoryMb(), d.hiddenPaths(), 0,
        d.cpuSeconds());
    for (SandboxSettings mode : List.of(new SandboxSettings(SandboxSettings.NONE, false, 2048, List.of(), 0, 120),
        noCgroup, d)) {
      Sandbox sandbox = new Sandbox(mode, dir);
      ShellTool shell = new ShellTool(vertx, workspace, settings, env, sandbox);
      time(shell, runs / 5);
      List<Long> micros = time(shell, runs);
      micros.sort(Long::compare);
      System.out.printf("%-60s %d runs of `true`: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n", sandbox.describe(), runs,
          micros.get(runs / 2) / 1000.0, micros.get((int) (runs * 0.9)) / 1000.0,
          micros.get(Math.min(runs - 1, (int) (runs * 0.99))) / 1000.0);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static List<Long> time(ShellTool shell, int runs) throws Exception {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      ToolOutput out = shell.execute(new JsonObject().put("command", "true")).toCompletionStage()
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      micros.add((System.nanoTime() - start) / 1000);
      if (!out.text().endsWith("[exit code 0]")) {
        throw new IllegalStateException("the command failed: " + out.text());
      }
    }
    return micros;
  }
}
