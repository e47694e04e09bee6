package ai.spacebot.tools.workspace;

import ai.spacebot.tools.ToolOutput;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@code shell} call: starts {@code /bin/sh -c}, drains its output, enforces the timeout. Runs on its own thread.
 *
 * <p>The shell runs in a session of its own ({@code setsid}), so a kill reaches every process it started by their
 * process group, even children whose parent already exited. Where {@code setsid} is missing, the process tree is
 * sampled while the command runs instead; that costs a scan of /proc per sample, which under many concurrent
 * commands was most of the machine's CPU.
 */
final class ShellCommand {
  private static final boolean SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));
  /** How often the process tree is looked at while the command runs (only without setsid). */
  private static final long POLL_MILLIS = 200;
  /** How long to wait for the output to end once the shell is gone; a background child may hold the pipe forever. */
  private static final long DRAIN_MILLIS = 1000;

  private final String command;
  private final Workspace workspace;
  private final String workingDir;
  private final int timeoutSeconds;
  private final Map<String, String> env;
  private final int outputCap;
  private final Sandbox sandbox;
  /**
   * Every descendant seen while running. A child whose parent has exited is re-parented away from our tree, so a kill
   * that only asked {@code descendants()} at the end would miss it. Handles compare by pid and start time, so a reused
   * pid is never killed by mistake.
   */
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
  private Process process;
  /** The command's own cgroup (process-count limit), or null. */
  private PidsCgroup.Slot cgroup;
  private volatile boolean cancelled;

  /** @param workingDir as the model gave it, resolved when the command starts; null means the workspace root */
  ShellCommand(String command, Workspace workspace, String workingDir, int timeoutSeconds, Map<String, String> env,
      int outputCap, Sandbox sandbox) {
    this.sandbox = sandbox;
    this.command = command;
    this.workspace = workspace;
    this.workingDir = workingDir;
    this.timeoutSeconds = timeoutSeconds;
    this.env = env;
    this.outputCap = outputCap;
  }

  /** Kills the command and everything it started; a command not started yet will not start. */
  synchronized void cancel() {
    cancelled = true;
    if (process != null) {
      killTree();
    }
  }

  /** Blocking; a bad working_dir is an {@link IllegalArgumentException} with a message for the model. */
  ToolOutput run() throws IOException, InterruptedException {
    Process p = start(directory());
    if (p == null) {
      return ToolOutput.error("Command cancelled before it started.");
    }
    CappedOutput output = new CappedOutput(outputCap);
    Thread reader = drain(p.getInputStream(), output);
    boolean timedOut = !waitOrKill(p);
    reader.join(DRAIN_MILLIS);
    String text = output.text();
    if (reader.isAlive()) {
      text = CappedOutput.endLine(text)
          + "[a background process still holds the output open; anything it writes later is not shown]\n";
    }
    if (timedOut) {
      return ToolOutput.error("Command timed out after " + timeoutSeconds + " s and was killed." + soFar(text));
    }
    if (cancelled) {
      return ToolOutput.error("Command cancelled (the worker was stopped)." + soFar(text));
    }
    return ToolOutput.ok(CappedOutput.endLine(text) + "[exit code " + p.exitValue() + "]" + limitNote(p.exitValue()));
  }

  /**
   * Removes the command's cgroup, killing what is left in it; blocking. Called after the result went back: the
   * processes of an ended command are already dying with its pid namespace, and nobody should wait for the kernel
   * to reap them.
   */
  void release() {
    PidsCgroup.Slot slot;
    synchronized (this) {
      slot = cgroup;
    }
    if (slot != null) {
      slot.remove();
    }
  }

  private Path directory() {
    if (workingDir == null) {
      return workspace.root();
    }
    Path dir = workspace.resolve(workingDir);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("working_dir \"" + workingDir + "\" is not an existing directory");
    }
    return dir;
  }

  private synchronized Process start(Path dir) throws IOException {
    if (cancelled) {
      return null;
    }
    List<String> argv = new ArrayList<>();
    if (SETSID) {
      argv.add("/usr/bin/setsid");
    }
    Sandbox.Launch launch = sandbox.launch(command, workspace.root(), dir, env);
    cgroup = launch.cgroup();
    argv.addAll(launch.argv());
    ProcessBuilder builder = new ProcessBuilder(argv)
        .directory(dir.toFile())
        .redirectInput(Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    process = builder.start();
    return process;
  }

  /** Waits for the shell to exit; false when the timeout hit and the tree was killed. */
  private boolean waitOrKill(Process p) throws InterruptedException {
    if (SETSID) {
      if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        return true;
      }
      synchronized (this) {
        killTree();
      }
      p.waitFor();
      return false;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      seen.removeIf(h -> !h.isAlive());
      p.descendants().forEach(seen::add);
      if (System.nanoTime() - deadline >= 0) {
        synchronized (this) {
          killTree();
        }
        p.waitFor();
        return false;
      }
    }
    return true;
  }

  private void killTree() {
    if (cgroup != null) {
      cgroup.killAll();
    }
    if (SETSID) {
      killGroup(process.pid());
    }
    process.descendants().forEach(seen::add);
    seen.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** setsid made the shell a session and group leader, so its pid is the group id of everything it started. */
  private static void killGroup(long pgid) {
    try {
      new ProcessBuilder("/bin/sh", "-c", "kill -KILL -- -" + pgid + " 2>/dev/null").redirectErrorStream(true)
          .redirectOutput(Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // the per-process kill below still runs
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A shell killed by SIGXCPU (exit 128 + 24) ran out of its CPU time: say so, the number alone says little. */
  private String limitNote(int exit) {
    return exit == 128 + 24 && sandbox.cpuSeconds() > 0 ? "\n[stopped by the CPU-time limit: a process of the command "
        + "used " + sandbox.cpuSeconds() + " s of CPU (worker.sandbox_cpu_seconds)]" : "";
  }

  private static String soFar(String text) {
    return text.isEmpty() ? " There was no output." : " Output so far:\n" + text;
  }

  private static Thread drain(InputStream in, CappedOutput output) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[8192];
      // When the shell exits, the JDK drains and closes its output pipe unless a read holds the stream's
      // monitor at that moment. Holding it for the whole loop keeps the pipe open for a background child
      // that still writes: it is not cut off (no SIGPIPE), and the result says that it still runs.
      synchronized (in) {
        try (in) {
          for (int n; (n = in.read(buffer)) != -1; ) {
            output.append(buffer, n);
          }
        } catch (IOException e) {
          // the stream closes under us when the process is killed; what was read is kept
        }
      }
    }, "spacebot-shell-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
