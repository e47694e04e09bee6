package ai.spacebot.tools.workspace;

import ai.spacebot.config.SandboxSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a shell command runs. Under bubblewrap: the host's root read-only; the workspace the only writable bind;
 * empty tmpfs over the data directory (config, database, identity files), HOME and /tmp; root-only secrets such as
 * /etc/shadow hidden; new namespaces for everything (its own /proc, so no other process and no parent's environment
 * is visible; no network unless configured); every capability dropped (root inside cannot remount anything); the
 * environment exactly what the tool gives it; killed with its parent. Address-space and CPU-time limits come from
 * prlimit, the process-count limit from a cgroup of the command's own ({@link PidsCgroup}).
 *
 * <p>Without bubblewrap the shell refuses to run, unless the operator chose {@code worker.sandbox: none}.
 */
public final class Sandbox {
  static final String BWRAP = "/usr/bin/bwrap";
  static final String PRLIMIT = "/usr/bin/prlimit";

  private final SandboxSettings settings;
  private final Path dataDir;
  private final String bwrap;
  /** Looked up once: every shell call asks, some on an event loop. Installing bwrap later needs a restart. */
  private final boolean available;
  private final boolean prlimit;
  /** Null where no pids cgroup is writable; {@link #noProcessLimit} says why. */
  private final PidsCgroup pids;
  private final String noProcessLimit;

  /**
   * Looks for bwrap and prlimit on disk: build it off the event loop.
   *
   * @param dataDir the server's data directory, hidden from every command
   */
  public Sandbox(SandboxSettings settings, Path dataDir) {
    this(settings, dataDir, BWRAP);
  }

  Sandbox(SandboxSettings settings, Path dataDir, String bwrap) {
    this.settings = settings;
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.bwrap = bwrap;
    this.available = Files.isExecutable(Path.of(bwrap));
    this.prlimit = Files.isExecutable(Path.of(PRLIMIT));
    PidsCgroup.Found found = settings.sandboxed() && available ? PidsCgroup.find(settings.maxProcesses())
        : new PidsCgroup.Found(null, "not sandboxed");
    this.pids = found.cgroup();
    this.noProcessLimit = found.why();
  }

  /** What runs shell commands here, for the startup log and the tool's refusals. */
  public String describe() {
    if (!settings.sandboxed()) {
      return "none (worker.sandbox: none): shell commands run unsandboxed as the server's own user";
    }
    if (!available()) {
      return "unavailable: bubblewrap (" + bwrap + ") is not installed, so shell commands are refused";
    }
    String rlimits = prlimit ? settings.memoryMb() + " MiB, " : "";
    String cpu = prlimit ? ", " + settings.cpuSeconds() + " s CPU per process" : ", no memory or CPU limit (no prlimit)";
    return "bubblewrap (network " + (settings.network() ? "on" : "off") + ", " + rlimits
        + (pids != null ? pids.max() + " processes" : "no process limit") + cpu + ")";
  }

  /**
   * Why sandboxed commands have no process-count limit here (no writable pids cgroup), or null when they have one or
   * are not sandboxed at all.
   */
  public String missingProcessLimit() {
    return settings.sandboxed() && available && pids == null ? noProcessLimit : null;
  }

  /** The cgroup under which each command gets its own, or null. */
  Path cgroupBase() {
    return pids == null ? null : pids.base();
  }

  /** CPU seconds of each process of a sandboxed command; 0 when commands are not sandboxed. */
  int cpuSeconds() {
    return settings.sandboxed() && prlimit ? settings.cpuSeconds() : 0;
  }

  public boolean available() {
    return available;
  }

  /** Why a command cannot run, or null when it can. */
  String refusal() {
    if (settings.sandboxed() && !available()) {
      return "Shell commands are disabled on this server: its sandbox, bubblewrap, is not installed. An operator "
          + "can install it (Debian/Ubuntu: apt-get install bubblewrap) or set worker.sandbox: none to run commands "
          + "unsandboxed.";
    }
    return null;
  }

  /**
   * How one command starts: its argv, and the cgroup it enters (null without one), which the caller must
   * {@link PidsCgroup.Slot#remove remove} when the command has ended.
   */
  record Launch(List<String> argv, PidsCgroup.Slot cgroup) {}

  /**
   * Starts {@code /bin/sh -c command} in {@code cwd}: makes the command's cgroup (blocking) and the argv that enters
   * it before anything else runs. {@code env} is what the command may see; the caller must start the process with
   * exactly that environment too, because the sandbox's init process keeps the one it was started with, and a command
   * can read it from {@code /proc/1/environ}.
   */
  Launch launch(String command, Path workspace, Path cwd, Map<String, String> env) throws IOException {
    if (!settings.sandboxed()) {
      return new Launch(List.of("/bin/sh", "-c", command), null);
    }
    PidsCgroup.Slot slot = pids == null ? null : pids.open();
    List<String> argv = new ArrayList<>();
    if (slot != null) {
      // the shell moves itself into the cgroup, then becomes prlimit and bwrap: nothing forks before the limit holds,
      // and a failed move stops the command instead of running it unlimited
      argv.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", slot.procs().toString()));
    }
    argv.addAll(argv(command, workspace, cwd, env));
    return new Launch(argv, slot);
  }

  /** The bwrap argv, behind prlimit; no cgroup. */
  List<String> argv(String command, Path workspace, Path cwd, Map<String, String> env) {
    if (!settings.sandboxed()) {
      return List.of("/bin/sh", "-c", command);
    }
    List<String> argv = new ArrayList<>();
    if (prlimit) {
      // CPU: the soft limit sends SIGXCPU (exit 152, which the tool names), the hard one a second later SIGKILL for
      // a process that ignores it
      argv.addAll(List.of(PRLIMIT, "--as=" + (long) settings.memoryMb() * 1024 * 1024, "--core=0",
          "--cpu=" + settings.cpuSeconds() + ":" + (settings.cpuSeconds() + 1), "--"));
    }
    argv.addAll(List.of(bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
    for (String hidden : settings.hiddenPaths()) {
      Path p = Path.of(hidden);
      if (Files.isDirectory(p)) {
        argv.addAll(List.of("--tmpfs", hidden));
      } else if (Files.exists(p)) {
        argv.addAll(List.of("--ro-bind", "/dev/null", hidden));
      }
    }
    // The operator's home (keys, shell history) is hidden too; a mount point can only be made where it exists.
    String home = env.get("HOME");
    if (home != null && !home.equals("/") && Files.isDirectory(Path.of(home))
        && !settings.hiddenPaths().contains(home)) {
      argv.addAll(List.of("--tmpfs", home));
    }
    // After the hidden paths, because the data directory may lie under one of them (/root/.spacebot); read-only, so
    // nothing written there (a SOUL.md "appended to") even seems to work; the workspace comes back on top of it.
    String data = dataDir.toString();
    String root = workspace.toAbsolutePath().normalize().toString();
    argv.addAll(List.of("--tmpfs", data, "--bind", root, root, "--remount-ro", data));
    argv.addAll(List.of("--unshare-all"));
    if (settings.network()) {
      argv.add("--share-net");
    }
    argv.addAll(List.of("--cap-drop", "ALL", "--die-with-parent", "--new-session", "--clearenv"));
    env.forEach((k, v) -> argv.addAll(List.of("--setenv", k, v)));
    argv.addAll(List.of("--chdir", cwd.toAbsolutePath().normalize().toString(), "/bin/sh", "-c", command));
    return argv;
  }
}
