package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.workspace.Calls.SETTINGS;
import static ai.spacebot.tools.workspace.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.SandboxSettings;
import ai.spacebot.tools.ToolOutput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's process-count and CPU-time limits, with real processes and the host's real cgroups (this machine:
 * a writable v1 pids hierarchy; scripts/install-test-deps.sh hosts need one too, or these fail, never skip).
 */
class SandboxLimitsTest {
  private static final int MAX = 40;
  private static final SandboxSettings D = SandboxSettings.DEFAULTS;

  @TempDir Path dir;
  Vertx vertx;
  Workspace workspace;

  @BeforeEach
  void setUp() throws IOException {
    vertx = Vertx.vertx();
    workspace = new Workspace(dir.resolve("agents/a/workspace"));
    Files.createDirectories(workspace.root());
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Sandbox sandbox(int maxProcesses, int cpuSeconds) {
    return new Sandbox(new SandboxSettings(D.mode(), false, D.memoryMb(), D.hiddenPaths(), maxProcesses, cpuSeconds),
        dir);
  }

  private ShellTool shell(Sandbox sandbox) {
    return new ShellTool(vertx, workspace, SETTINGS, Map.of("PATH", System.getenv("PATH")), sandbox);
  }

  private static List<Path> commandCgroups(Path base) throws IOException {
    try (Stream<Path> children = Files.list(base)) {
      return children.filter(p -> p.getFileName().toString().startsWith("cmd-")).toList();
    }
  }

  /** The command cgroups once the one just ended is removed (right after its result; this waits up to 3 s). */
  private static List<Path> cgroupsOnceSettled(Path base, List<Path> expected) throws Exception {
    List<Path> now = commandCgroups(base);
    for (int i = 0; i < 150 && !now.equals(expected); i++) {
      Thread.sleep(20);
      now = commandCgroups(base);
    }
    return now;
  }

  private static long read(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException | NumberFormatException e) {
      return -1; // the cgroup went away between listing and reading
    }
  }

  @Test
  void aForkBombHitsTheProcessWallWhileTheServerStaysResponsiveAndItsCgroupIsRemoved() throws Exception {
    Sandbox sandbox = sandbox(MAX, 120);
    assertThat(sandbox.missingProcessLimit()).isNull();
    assertThat(sandbox.describe()).isEqualTo("bubblewrap (network off, 2048 MiB, 40 processes, 120 s CPU per process)");
    Path base = sandbox.cgroupBase();
    assertThat(base).isNotNull();
    List<Path> before = commandCgroups(base);
    ShellTool shell = shell(sandbox);

    long start = System.nanoTime();
    Future<ToolOutput> bomb = shell.execute(new JsonObject().put("command", "bash -c ':(){ :|: ; };:'")
        .put("timeout_seconds", 5));
    long highest = 0;
    long peak = 0;
    ToolOutput alive = null;
    while (!bomb.isComplete()) {
      for (Path cgroup : commandCgroups(base)) {
        if (!before.contains(cgroup)) {
          highest = Math.max(highest, read(cgroup.resolve("pids.current")));
          peak = Math.max(peak, read(cgroup.resolve("pids.peak")));
        }
      }
      if (alive == null && peak >= MAX) {
        // the wall is hit: another command and the event loop still answer at once
        long asked = System.nanoTime();
        alive = call(shell, new JsonObject().put("command", "echo alive"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).isLessThan(3000);
        long timer = System.nanoTime();
        vertx.timer(10).await(2, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - timer)).isLessThan(1000);
      }
      Thread.sleep(20);
    }
    ToolOutput out = bomb.await(1, TimeUnit.SECONDS);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(out.isError()).isTrue();
    assertThat(out.text()).startsWith("Command timed out after 5 s and was killed. Output so far:\n")
        .contains("fork: retry: Resource temporarily unavailable");
    assertThat(took).isBetween(5000L, 9000L);
    assertThat(peak).as("the bomb reached the limit").isEqualTo(MAX);
    assertThat(highest).as("and never passed it").isBetween(1L, (long) MAX);
    assertThat(alive).isNotNull();
    assertThat(alive.text()).isEqualTo("alive\n[exit code 0]");
    assertThat(cgroupsOnceSettled(base, before)).as("each command's cgroup is removed when it ends").isEqualTo(before);
    assertThat(ProcessHandle.current().descendants().filter(Calls::running)
        .filter(p -> p.info().command().map(c -> c.endsWith("/bash")).orElse(false)).toList()).isEmpty();
  }

  @Test
  void aShellLoopThatCannotForkStopsAtTheWall() throws Exception {
    Sandbox sandbox = sandbox(MAX, 120);
    List<Path> before = commandCgroups(sandbox.cgroupBase());
    ToolOutput out = call(shell(sandbox), new JsonObject().put("command", "while true; do sleep 100 & done"));
    assertThat(out.isError()).isFalse();
    assertThat(out.text()).matches("(?s)/bin/sh: \\d+: Cannot fork\n\\[exit code 2]");
    Thread.sleep(300);
    assertThat(Calls.sleeps()).isEmpty();
    assertThat(cgroupsOnceSettled(sandbox.cgroupBase(), before)).isEqualTo(before);
  }

  @Test
  void aCpuSpinnerIsKilledByTheCpuLimitBeforeItsTimeout() throws Exception {
    ShellTool shell = shell(sandbox(MAX, 1));
    long start = System.nanoTime();
    ToolOutput out = call(shell, new JsonObject().put("command", "while :; do :; done").put("timeout_seconds", 20));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(out.isError()).isFalse();
    assertThat(out.text()).isEqualTo("[exit code 152]\n[stopped by the CPU-time limit: a process of the command "
        + "used 1 s of CPU (worker.sandbox_cpu_seconds)]");
    assertThat(took).as("ended by CPU time, not by the 20 s timeout").isLessThan(15_000);

    // a spinning child: the shell lives on and reads the signal in the exit status
    assertThat(call(shell, new JsonObject().put("command", "sh -c 'while :; do :; done'; echo child=$?")).text())
        .isEqualTo("CPU time limit exceeded\nchild=152\n[exit code 0]");
  }

  @Test
  void withoutAProcessLimitCommandsStillRunAndTheSandboxSaysSo() throws Exception {
    Sandbox sandbox = sandbox(0, 120);
    assertThat(sandbox.cgroupBase()).isNull();
    assertThat(sandbox.missingProcessLimit()).isEqualTo("worker.sandbox_max_processes: 0");
    assertThat(sandbox.describe())
        .isEqualTo("bubblewrap (network off, 2048 MiB, no process limit, 120 s CPU per process)");
    assertThat(call(shell(sandbox), new JsonObject().put("command", "echo still works")).text())
        .isEqualTo("still works\n[exit code 0]");
  }
}
