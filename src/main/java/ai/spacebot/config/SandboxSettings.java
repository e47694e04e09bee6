package ai.spacebot.config;

import java.util.List;

/**
 * How a worker's shell commands are contained.
 *
 * @param mode {@code bubblewrap} (the default: commands run under bwrap, and are refused where it is missing) or
 *     {@code none} (the operator's explicit choice to run them unsandboxed)
 * @param network whether sandboxed commands may use the network (off: a network namespace of their own, no
 *     interfaces but a down loopback)
 * @param memoryMb address-space limit of each command, in MiB
 * @param hiddenPaths host paths replaced by empty ones inside the sandbox (besides the data directory, HOME and /tmp,
 *     which always are): root-only secrets such as /etc/shadow that a command running as root could otherwise read
 * @param maxProcesses processes (threads included) one command may have at once, through a cgroup's pids.max where a
 *     cgroup is writable; RLIMIT_NPROC would not bind a server running as root
 * @param cpuSeconds CPU time of each process of a command (RLIMIT_CPU through prlimit, which binds root too)
 */
public record SandboxSettings(String mode, boolean network, int memoryMb, List<String> hiddenPaths, int maxProcesses,
    int cpuSeconds) {
  public static final String BUBBLEWRAP = "bubblewrap";
  public static final String NONE = "none";
  public static final List<String> DEFAULT_HIDDEN = List.of("/etc/shadow", "/etc/gshadow", "/etc/ssh", "/root",
      "/home", "/var/lib/postgresql", "/run/secrets");

  public static final SandboxSettings DEFAULTS = new SandboxSettings(BUBBLEWRAP, false, 2048, DEFAULT_HIDDEN,
      128, 120);

  public boolean sandboxed() {
    return BUBBLEWRAP.equals(mode);
  }
}
