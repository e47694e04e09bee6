package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.workspace.Calls.CAP;
import static ai.spacebot.tools.workspace.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file tool refuses every way out of the workspace, leaves the outside untouched, and allows links that stay in. */
class FileToolEscapeTest {
  @TempDir Path dir;
  Vertx vertx;
  Path root;
  Path outside;
  Tool read;
  Tool write;
  Tool edit;
  Tool list;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    Workspace workspace = new Workspace(dir.resolve("agents/a/workspace"));
    root = workspace.root();
    read = new FileReadTool(vertx, workspace, CAP);
    write = new FileWriteTool(vertx, workspace);
    edit = new FileEditTool(vertx, workspace);
    list = new FileListTool(vertx, workspace);

    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.writeString(dir.resolve("agents/a/outside.txt"), "secret");
    Files.createSymbolicLink(root.resolve("outdir"), outside);
    Files.createSymbolicLink(root.resolve("outfile"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("created-through-link.txt"));
    Files.createDirectories(root.resolve("real"));
    Files.writeString(root.resolve("real/inside.txt"), "inside");
    Files.createSymbolicLink(root.resolve("indir"), Path.of("real"));
    Files.createSymbolicLink(root.resolve("infile"), root.resolve("real/inside.txt"));
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static Stream<Arguments> escapes() {
    List<String> paths = List.of("../outside.txt", "/etc/passwd", "outdir", "outdir/secret.txt", "outdir/new/deep.txt",
        "outfile", "dangling", "a/../../x", "a/../../outside.txt", "real/../../outside.txt");
    return Stream.of("file_read", "file_write", "file_edit", "file_list")
        .flatMap(tool -> paths.stream().map(path -> Arguments.of(tool, path)));
  }

  private Tool tool(String name) {
    return switch (name) {
      case "file_read" -> read;
      case "file_write" -> write;
      case "file_edit" -> edit;
      default -> list;
    };
  }

  /** Arguments that would do harm if the path got through. */
  private static JsonObject args(String tool, String path) {
    JsonObject args = new JsonObject().put("path", path);
    return switch (tool) {
      case "file_write" -> args.put("content", "pwned");
      case "file_edit" -> args.put("old_string", "secret").put("new_string", "pwned");
      default -> args;
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("escapes")
  void anEscapeIsAnErrorResultAndTouchesNothingOutside(String tool, String path) throws Exception {
    ToolOutput out = call(tool(tool), args(tool, path));

    assertThat(out).isEqualTo(ToolOutput.error("path \"" + path + "\" is outside the workspace"));
    assertThat(outside.resolve("secret.txt")).hasContent("secret");
    assertThat(dir.resolve("agents/a/outside.txt")).hasContent("secret");
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).containsExactly(outside.resolve("secret.txt"));
    }
    assertThat(dir.resolve("agents/x")).doesNotExist();
    assertThat(dir.resolve("agents/a/x")).doesNotExist();
  }

  @Test
  void linksThatStayInsideWorkForEveryTool() throws Exception {
    assertThat(call(read, new JsonObject().put("path", "infile"))).isEqualTo(ToolOutput.ok("inside"));
    assertThat(call(read, new JsonObject().put("path", "indir/inside.txt"))).isEqualTo(ToolOutput.ok("inside"));
    assertThat(call(edit, args("file_edit", "infile").put("old_string", "inside"))).isEqualTo(
        ToolOutput.ok("Made 1 replacement in infile."));
    assertThat(root.resolve("real/inside.txt")).hasContent("pwned");
    assertThat(call(write, new JsonObject().put("path", "indir/new/made.txt").put("content", "ok")).isError()).isFalse();
    assertThat(root.resolve("real/new/made.txt")).hasContent("ok");
    assertThat(call(list, new JsonObject().put("path", "indir")).text())
        .isEqualTo("file inside.txt (5 bytes)\ndir  new/\n");
    assertThat(call(read, new JsonObject().put("path", root.resolve("real/inside.txt").toString())))
        .isEqualTo(ToolOutput.ok("pwned"));
  }

  @Test
  void theWorkspaceListingShowsOutsideLinksWithoutFollowingThem() throws Exception {
    assertThat(call(list, new JsonObject()).text()).isEqualTo(
        "link dangling -> " + outside.resolve("created-through-link.txt") + "\n"
            + "link indir -> real\n"
            + "link infile -> " + root.resolve("real/inside.txt") + "\n"
            + "link outdir -> " + outside + "\n"
            + "link outfile -> " + outside.resolve("secret.txt") + "\n"
            + "dir  real/\n");
  }
}
