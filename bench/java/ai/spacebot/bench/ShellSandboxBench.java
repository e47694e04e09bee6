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
 * unsandboxed, under bubblewrap without and with the per-command pids cgroup, after a warm-up; the modes take turns.
 * The differences are bwrap's namespaces, mounts and prlimit, and the cgroup's mkdir, pids.max, entry and rmdir.
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
    List<Sandbox> sandboxes = new ArrayList<>();
    List<ShellTool> shells = new ArrayList<>();
    for (SandboxSettings mode : List.of(new SandboxSettings(SandboxSettings.NONE, false, 2048, List.of(), 0, 120),
        noCgroup, d)) {
      Sandbox sandbox = new Sandbox(mode, dir);
      sandboxes.add(sandbox);
      shells.add(new ShellTool(vertx, workspace, settings, env, sandbox));
    }
    // the modes take turns, one command each, so that a load that comes and goes on a shared machine falls on all
    for (int i = 0; i < runs / 5; i++) {
      for (ShellTool shell : shells) {
        time(shell, 1);
      }
    }
    List<List<Long>> micros = new ArrayList<>();
    shells.forEach(s -> micros.add(new ArrayList<>()));
    for (int i = 0; i < runs; i++) {
      for (int m = 0; m < shells.size(); m++) {
        micros.get(m).addAll(time(shells.get(m), 1));
      }
    }
    for (int m = 0; m < shells.size(); m++) {
      List<Long> sorted = micros.get(m);
      sorted.sort(Long::compare);
      System.out.printf("%-80s %d runs of `true`: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n", sandboxes.get(m).describe(),
          runs, sorted.get(runs / 2) / 1000.0, sorted.get((int) (runs * 0.9)) / 1000.0,
          sorted.get(Math.min(runs - 1, (int) (runs * 0.99))) / 1000.0);
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
