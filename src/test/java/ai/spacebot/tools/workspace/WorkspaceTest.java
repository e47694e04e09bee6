package ai.spacebot.tools.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link Workspace#resolve} lets through and what it refuses, symlinks included. */
class WorkspaceTest {
  @TempDir Path dir;
  Path root;
  Path outside;
  Workspace workspace;

  @BeforeEach
  void setUp() throws Exception {
    root = dir.resolve("agents/a/workspace");
    workspace = new Workspace(root);
    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
  }

  private void assertOutside(String path) {
    assertThatThrownBy(() -> workspace.resolve(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path \"" + path + "\" is outside the workspace");
  }

  @Test
  void createsTheRootDirectory() {
    assertThat(root).isDirectory();
    assertThat(workspace.root()).isEqualTo(root.toAbsolutePath().normalize());
  }

  @Test
  void opensOffTheEventLoop() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Path other = dir.resolve("agents/b/workspace");
      Workspace opened = Workspace.open(vertx, other).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(other).isDirectory();
      assertThat(opened.resolve("x")).isEqualTo(other.resolve("x"));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void relativePathsAreUnderTheRootWhetherTheyExistOrNot() throws Exception {
    Files.createDirectories(root.resolve("src"));
    assertThat(workspace.resolve("src")).isEqualTo(root.resolve("src"));
    assertThat(workspace.resolve("new/deep/file.txt")).isEqualTo(root.resolve("new/deep/file.txt"));
    assertThat(workspace.resolve(".")).isEqualTo(root);
    assertThat(workspace.resolve("a/../b")).isEqualTo(root.resolve("b"));
  }

  @Test
  void absolutePathsInsideTheRootAreAccepted() {
    assertThat(workspace.resolve(root.resolve("x.txt").toString())).isEqualTo(root.resolve("x.txt"));
  }

  @Test
  void dotDotAndAbsolutePathsElsewhereAreRefused() {
    assertOutside("../x");
    assertOutside("a/../../x");
    assertOutside("..");
    assertOutside("/etc/passwd");
    assertOutside(outside.resolve("secret.txt").toString());
    assertOutside(root + "/../workspace-evil/x");
  }

  @Test
  void symlinkedDirectoryPointingOutsideIsRefusedAnywhereInThePath() throws Exception {
    Files.createSymbolicLink(root.resolve("out"), outside);
    Files.createDirectories(root.resolve("sub"));
    Files.createSymbolicLink(root.resolve("sub/out"), outside);
    assertOutside("out");
    assertOutside("out/secret.txt");
    assertOutside("out/new/dir/file.txt");
    assertOutside("sub/out/secret.txt");
  }

  @Test
  void symlinkFileOrDanglingSymlinkPointingOutsideIsRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("secret"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("created-through-the-link.txt"));
    Files.createSymbolicLink(root.resolve("relative-dangling"), Path.of("../../../outside/new.txt"));
    assertOutside("secret");
    assertOutside("dangling");
    assertOutside("relative-dangling");
  }

  @Test
  void symlinksThatStayInsideAreAllowed() throws Exception {
    Files.createDirectories(root.resolve("real"));
    Files.writeString(root.resolve("real/f.txt"), "x");
    Files.createSymbolicLink(root.resolve("in"), root.resolve("real"));
    Files.createSymbolicLink(root.resolve("relative-in"), Path.of("real/f.txt"));
    Files.createSymbolicLink(root.resolve("dangling-in"), Path.of("real/not-yet.txt"));
    assertThat(workspace.resolve("in/f.txt")).isEqualTo(root.resolve("in/f.txt"));
    assertThat(workspace.resolve("in/new.txt")).isEqualTo(root.resolve("in/new.txt"));
    assertThat(workspace.resolve("relative-in")).isEqualTo(root.resolve("relative-in"));
    assertThat(workspace.resolve("dangling-in")).isEqualTo(root.resolve("dangling-in"));
  }

  @Test
  void aSymlinkLoopIsRefusedWithAClearMessage() throws Exception {
    Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
    Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
    assertThatThrownBy(() -> workspace.resolve("loop-a/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path \"loop-a/x\" cannot be checked: too many levels of symbolic links");
  }

  @Test
  void aRootReachedThroughASymlinkStillWorks() throws Exception {
    Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked"), root);
    Workspace linked = new Workspace(linkedRoot);
    assertThat(linked.resolve("x.txt")).isEqualTo(linkedRoot.resolve("x.txt"));
    assertThat(linked.resolve(root.resolve("x.txt").toString())).isEqualTo(root.resolve("x.txt"));
    assertThatThrownBy(() -> linked.resolve("../outside/secret.txt")).hasMessageContaining("outside the workspace");
  }

  @Test
  void aPathWithANulCharacterIsRefused() {
    assertThatThrownBy(() -> workspace.resolve("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path \"a\0b\" is not a valid path");
  }
}
