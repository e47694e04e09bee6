package ai.spacebot.tools.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The process-count limit of shell commands: each command gets a cgroup of its own under {@code spacebot/} with
 * {@code pids.max} set, and is put into it before it can fork. RLIMIT_NPROC would not do: it does not bind root, and
 * the server may run as root in a container. Works with the cgroup v2 pids controller (the unified hierarchy) and with
 * a v1 {@code pids} hierarchy; where neither is writable, {@link #find} says why and commands run without the limit.
 */
final class PidsCgroup {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Path OWN = Path.of("/proc/self/cgroup");
  /** An empty command cgroup this old was left behind by a server that died; a live one is never empty. */
  private static final Duration STALE = Duration.ofMinutes(10);
  private static final long REMOVE_WAIT_MILLIS = 3000;

  private final Path base;
  private final boolean v2;
  private final int max;

  private PidsCgroup(Path base, boolean v2, int max) {
    this.base = base;
    this.v2 = v2;
    this.max = max;
  }

  /** What {@link #find} found: the cgroup, or why there is none. */
  record Found(PidsCgroup cgroup, String why) {}

  /** Looks for a writable pids cgroup (v2 first, then v1); blocking file IO. */
  static Found find(int maxProcesses) {
    if (maxProcesses <= 0) {
      return new Found(null, "worker.sandbox_max_processes: 0");
    }
    List<String> mounts;
    List<String> own;
    try {
      mounts = Files.readAllLines(MOUNTINFO);
      own = Files.readAllLines(OWN);
    } catch (IOException e) {
      return new Found(null, "cgroups cannot be read here (" + e.getMessage() + ")");
    }
    List<String> tried = new ArrayList<>();
    Optional<Path> unified = mountOf(mounts, own, true);
    if (unified.isPresent()) {
      Optional<PidsCgroup> found = v2(unified.get(), maxProcesses, tried);
      if (found.isPresent()) {
        return new Found(found.get(), null);
      }
    }
    Optional<Path> pids = mountOf(mounts, own, false);
    if (pids.isPresent()) {
      Path base = pids.get().resolve("spacebot");
      if (tryBase(base, false, maxProcesses, tried)) {
        return new Found(new PidsCgroup(base, false, maxProcesses), null);
      }
    }
    return new Found(null, tried.isEmpty() ? "no pids cgroup is mounted"
        : "no pids cgroup is writable (" + String.join("; ", tried) + ")");
  }

  /**
   * The directory of this process's own cgroup in the v2 hierarchy ({@code v2}) or the v1 pids hierarchy. mountinfo's
   * fourth field is the part of the hierarchy the mount shows, /proc/self/cgroup the path within the whole of it.
   */
  private static Optional<Path> mountOf(List<String> mounts, List<String> own, boolean v2) {
    String ownPath = own.stream()
        .map(l -> l.split(":", 3))
        .filter(f -> f.length == 3 && (v2 ? f[0].equals("0") && f[1].isEmpty() : List.of(f[1].split(",")).contains("pids")))
        .map(f -> f[2]).findFirst().orElse(null);
    if (ownPath == null) {
      return Optional.empty();
    }
    for (String line : mounts) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] left = line.substring(0, dash).split(" ");
      String[] right = line.substring(dash + 3).split(" ");
      if (left.length < 5 || right.length < 3) {
        continue;
      }
      boolean match = v2 ? right[0].equals("cgroup2")
          : right[0].equals("cgroup") && List.of(right[2].split(",")).contains("pids");
      if (!match) {
        continue;
      }
      String root = left[3];
      Path mountPoint = Path.of(left[4].replace("\\040", " "));
      String relative = root.equals("/") ? ownPath : ownPath.startsWith(root) ? ownPath.substring(root.length()) : "";
      Path dir = relative.isEmpty() || relative.equals("/") ? mountPoint : mountPoint.resolve(relative.substring(1));
      return Optional.of(Files.isDirectory(dir) ? dir : mountPoint);
    }
    return Optional.empty();
  }

  /**
   * v2 allows controllers only in cgroups without processes of their own, so {@code spacebot/} is made next to the
   * server's cgroup's root, the pids controller enabled on the way down.
   */
  private static Optional<PidsCgroup> v2(Path own, int max, List<String> tried) {
    Path root = own;
    while (root.getParent() != null && Files.exists(root.getParent().resolve("cgroup.controllers"))) {
      root = root.getParent();
    }
    try {
      if (!words(root.resolve("cgroup.controllers")).contains("pids")) {
        tried.add("cgroup v2 at " + root + " has no pids controller");
        return Optional.empty();
      }
      if (!words(root.resolve("cgroup.subtree_control")).contains("pids")) {
        Files.writeString(root.resolve("cgroup.subtree_control"), "+pids");
      }
      Path base = root.resolve("spacebot");
      Files.createDirectories(base);
      if (!words(base.resolve("cgroup.subtree_control")).contains("pids")) {
        Files.writeString(base.resolve("cgroup.subtree_control"), "+pids");
      }
      return tryBase(base, true, max, tried) ? Optional.of(new PidsCgroup(base, true, max)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      tried.add("cgroup v2 at " + root + ": " + reason(e));
      return Optional.empty();
    }
  }

  /** Makes {@code base}, a probe command cgroup in it with pids.max, and removes the probe; false if any step fails. */
  private static boolean tryBase(Path base, boolean v2, int max, List<String> tried) {
    Path probe = base.resolve("probe-" + UUID.randomUUID());
    try {
      Files.createDirectories(base);
      removeStale(base);
      Files.createDirectory(probe);
      Files.writeString(probe.resolve("pids.max"), String.valueOf(max));
      return true;
    } catch (IOException | RuntimeException e) {
      tried.add((v2 ? "cgroup v2 " : "cgroup v1 ") + base + ": " + reason(e));
      return false;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // an empty probe cgroup; removed as stale by a later start
      }
    }
  }

  private static void removeStale(Path base) throws IOException {
    Instant before = Instant.now().minus(STALE);
    try (DirectoryStream<Path> children = Files.newDirectoryStream(base, Files::isDirectory)) {
      for (Path child : children) {
        try {
          FileTime made = Files.getLastModifiedTime(child);
          if (made.toInstant().isBefore(before)) {
            Files.delete(child); // rmdir: refused while any process is in it
          }
        } catch (IOException e) {
          // busy or gone
        }
      }
    }
  }

  private static List<String> words(Path file) throws IOException {
    return List.of(Files.readString(file).strip().split("\\s+"));
  }

  private static String reason(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " "
        + e.getMessage();
  }

  int max() {
    return max;
  }

  Path base() {
    return base;
  }

  String describe() {
    return (v2 ? "cgroup v2 " : "cgroup v1 ") + base;
  }

  /** A fresh cgroup for one command; blocking. */
  Slot open() throws IOException {
    Path dir = base.resolve("cmd-" + UUID.randomUUID());
    Files.createDirectory(dir);
    try {
      Files.writeString(dir.resolve("pids.max"), String.valueOf(max));
    } catch (IOException e) {
      Files.deleteIfExists(dir);
      throw e;
    }
    return new Slot(dir);
  }

  /** One command's cgroup: its processes can be listed and killed, and it is removed when the command ends. */
  final class Slot {
    private final Path dir;

    private Slot(Path dir) {
      this.dir = dir;
    }

    /** The file a process writes its pid to, to enter the cgroup. */
    Path procs() {
      return dir.resolve("cgroup.procs");
    }

    Path dir() {
      return dir;
    }

    /** Kills everything in the cgroup; a process forked while this runs is caught by the next call. */
    void killAll() {
      Path kill = dir.resolve("cgroup.kill");
      if (v2 && Files.exists(kill)) {
        try {
          Files.writeString(kill, "1");
          return;
        } catch (IOException e) {
          // fall back to one by one
        }
      }
      try {
        for (String line : Files.readAllLines(procs(), StandardCharsets.US_ASCII)) {
          if (!line.isBlank()) {
            ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone already
      }
    }

    /** Kills what is left and removes the cgroup, waiting a little for the kernel to reap the dead. */
    void remove() {
      long deadline = System.nanoTime() + REMOVE_WAIT_MILLIS * 1_000_000;
      while (true) {
        try {
          Files.deleteIfExists(dir);
          return;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            return; // still busy: removed as stale at a later start
          }
          killAll();
          try {
            Thread.sleep(2);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
