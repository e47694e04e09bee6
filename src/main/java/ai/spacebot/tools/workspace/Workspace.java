package ai.spacebot.tools.workspace;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The directory an agent's workers may read and write ({@code agents/{id}/workspace}). Every path a tool is given goes
 * through {@link #resolve}, which refuses anything whose real location (after following symlinks) is outside.
 *
 * <p>{@link #resolve} touches the file system (it follows symlinks), so call it off the event loop.
 */
public final class Workspace {
  /** Same bound as Linux's ELOOP: a chain of dangling links longer than this is treated as a loop. */
  private static final int MAX_LINKS = 40;

  private final Path root;
  private final Path realRoot;

  /** Opens the workspace at {@code root}, creating the directory if missing. Blocking. */
  public Workspace(Path root) {
    try {
      Files.createDirectories(root);
      this.root = root.toAbsolutePath().normalize();
      this.realRoot = this.root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the workspace directory " + root, e);
    }
  }

  /** {@link #Workspace(Path)} off the event loop. */
  public static Future<Workspace> open(Vertx vertx, Path root) {
    return vertx.executeBlocking(() -> new Workspace(root), false);
  }

  public Path root() {
    return root;
  }

  /**
   * The file {@code path} names: relative paths are relative to the root, absolute ones must lie inside it.
   *
   * <p>The returned path is the lexically normalized target, and its real location (every symlink on the way followed,
   * including a dangling one at the end, which a write would create the target of) has been checked to be inside the
   * root's real path.
   *
   * @throws IllegalArgumentException with a message for the model when the path escapes or cannot be checked
   */
  public Path resolve(String path) {
    Path given;
    try {
      given = Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("path \"" + path + "\" is not a valid path");
    }
    Path target = (given.isAbsolute() ? given : root.resolve(given)).normalize();
    Path real;
    try {
      real = realLocation(target, 0);
    } catch (IOException e) {
      throw new IllegalArgumentException("path \"" + path + "\" cannot be checked: " + Failures.describe(e));
    }
    if (!real.startsWith(realRoot)) {
      throw new IllegalArgumentException("path \"" + path + "\" is outside the workspace");
    }
    return target;
  }

  /**
   * Where the OS would land for {@code path}: the real path of its deepest existing ancestor with the missing names
   * appended. A dangling symlink is followed by hand, because creating a file through it creates its target.
   */
  private static Path realLocation(Path path, int links) throws IOException {
    if (links > MAX_LINKS) {
      throw new IOException("too many levels of symbolic links");
    }
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.push(existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new IOException("no part of the path exists");
    }
    Path base;
    if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
      base = realLocation(existing.resolveSibling(Files.readSymbolicLink(existing)), links + 1);
    } else {
      base = existing.toRealPath();
    }
    for (Path name : missing) {
      base = base.resolve(name);
    }
    // a missing name may be ".." (from a link target): the OS would refuse such a path anyway, and normalizing it here
    // can only make the check stricter, never let an escape through
    return base.normalize();
  }
}
