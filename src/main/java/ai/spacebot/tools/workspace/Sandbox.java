package ai.spacebot.tools.workspace;

import ai.spacebot.config.SandboxSettings;
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
 * environment exactly what the tool gives it; killed with its parent. An address-space limit comes from prlimit.
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
  }

  /** What runs shell commands here, for the startup log and the tool's refusals. */
  public String describe() {
    if (!settings.sandboxed()) {
      return "none (worker.sandbox: none): shell commands run unsandboxed as the server's own user";
    }
    if (!available()) {
      return "unavailable: bubblewrap (" + bwrap + ") is not installed, so shell commands are refused";
    }
    return "bubblewrap (network " + (settings.network() ? "on" : "off") + ", " + settings.memoryMb() + " MiB)";
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
   * The argv that runs {@code /bin/sh -c command} in {@code cwd}. {@code env} is what the command may see; the caller
   * must start the process with exactly that environment too, because the sandbox's init process keeps the one it
   * was started with, and a command can read it from {@code /proc/1/environ}.
   */
  List<String> argv(String command, Path workspace, Path cwd, Map<String, String> env) {
    if (!settings.sandboxed()) {
      return List.of("/bin/sh", "-c", command);
    }
    List<String> argv = new ArrayList<>();
    if (prlimit) {
      argv.addAll(List.of(PRLIMIT, "--as=" + (long) settings.memoryMb() * 1024 * 1024, "--core=0", "--"));
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
