package ai.spacebot.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code $SPACEBOT_DIR/spacebot.pid}: the running server's pid, and detection of stale files. */
final class PidFile {
  private final Path file;

  PidFile(Path dataDir) {
    this.file = dataDir.resolve("spacebot.pid");
  }

  Path path() {
    return file;
  }

  /** The live Spacebot process named by the file, if any; a stale file is not an answer. */
  Optional<ProcessHandle> running() {
    Optional<Long> pid = read();
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive).filter(PidFile::looksLikeJava);
  }

  Optional<Long> read() {
    try {
      return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  boolean exists() {
    return Files.exists(file);
  }

  void write(long pid) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("spacebot.pid.tmp");
    Files.writeString(tmp, pid + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the file only if it still names {@code pid} (a newer server may have replaced it). */
  void deleteIfOwnedBy(long pid) {
    if (read().filter(p -> p == pid).isPresent()) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // Left behind: the next start sees a stale file and replaces it.
      }
    }
  }

  /** A recycled pid that belongs to some other program must not be mistaken for us. */
  private static boolean looksLikeJava(ProcessHandle p) {
    return p.info().command().map(c -> c.contains("java")).orElse(true);
  }
}
