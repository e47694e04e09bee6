package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.workspace.Calls.CAP;
import static ai.spacebot.tools.workspace.Calls.SETTINGS;
import static ai.spacebot.tools.workspace.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file tools' ordinary use and the mistakes a model makes with them. */
class FileToolsTest {
  @TempDir Path dir;
  Vertx vertx;
  Path root;
  Tool read;
  Tool write;
  Tool edit;
  Tool list;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Workspace workspace = new Workspace(dir.resolve("agents/a/workspace"));
    root = workspace.root();
    read = new FileReadTool(vertx, workspace, CAP);
    write = new FileWriteTool(vertx, workspace);
    edit = new FileEditTool(vertx, workspace);
    list = new FileListTool(vertx, workspace);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static JsonObject path(String path) {
    return new JsonObject().put("path", path);
  }

  private ToolOutput edit(String path, String oldString, String newString, Boolean replaceAll) throws Exception {
    JsonObject args = path(path).put("old_string", oldString).put("new_string", newString);
    if (replaceAll != null) {
      args.put("replace_all", replaceAll);
    }
    return call(edit, args);
  }

  @Test
  void writeCreatesParentsAndReadGivesTheContentBack() throws Exception {
    String content = "héllo\nwörld\n";
    assertThat(call(write, path("notes/today/todo.md").put("content", content)))
        .isEqualTo(ToolOutput.ok("Wrote 14 bytes to notes/today/todo.md."));
    assertThat(root.resolve("notes/today/todo.md")).hasContent(content);
    assertThat(call(read, path("notes/today/todo.md"))).isEqualTo(ToolOutput.ok(content));
  }

  @Test
  void writeReplacesAWholeFileAndMayWriteNothing() throws Exception {
    Files.writeString(root.resolve("f.txt"), "old old old");
    assertThat(call(write, path("f.txt").put("content", "new")).text()).isEqualTo("Wrote 3 bytes to f.txt.");
    assertThat(root.resolve("f.txt")).hasContent("new");
    assertThat(call(write, path("f.txt").put("content", "")).text()).isEqualTo("Wrote 0 bytes to f.txt.");
    assertThat(call(read, path("f.txt"))).isEqualTo(ToolOutput.ok("(empty file)"));
  }

  @Test
  void writeOntoADirectoryIsAnError() throws Exception {
    Files.createDirectories(root.resolve("d"));
    assertThat(call(write, path("d").put("content", "x"))).isEqualTo(ToolOutput.error("\"d\" is a directory; give a file path"));
  }

  @Test
  void readOfAFileLargerThanTheCapIsCutWithANote() throws Exception {
    // "é" is two bytes; one leading "x" makes the cap fall in the middle of one
    Files.writeString(root.resolve("big.txt"), "x" + "é".repeat(CAP));
    ToolOutput out = call(read, path("big.txt"));
    assertThat(out.isError()).isFalse();
    assertThat(out.text()).isEqualTo("x" + "é".repeat((CAP - 1) / 2)
        + "\n[file truncated: " + (1 + 2 * CAP) + " bytes in total, the first " + (CAP - 1) + " shown]");
  }

  @Test
  void readOfADirectoryOrAMissingFileIsAClearError() throws Exception {
    Files.createDirectories(root.resolve("d"));
    assertThat(call(read, path("d")))
        .isEqualTo(ToolOutput.error("\"d\" is a directory, not a file; use file_list to see what is in it"));
    assertThat(call(read, path("nope.txt"))).isEqualTo(ToolOutput.error("file \"nope.txt\" does not exist"));
  }

  @Test
  void editReplacesTheOneOccurrence() throws Exception {
    Files.writeString(root.resolve("app.py"), "def main():\n    print('hi')\n");
    assertThat(edit("app.py", "print('hi')", "print('hello')", null))
        .isEqualTo(ToolOutput.ok("Made 1 replacement in app.py."));
    assertThat(root.resolve("app.py")).hasContent("def main():\n    print('hello')\n");
  }

  @Test
  void editRefusesATextThatIsNotThere() throws Exception {
    Files.writeString(root.resolve("f.txt"), "alpha beta");
    ToolOutput out = edit("f.txt", "gamma", "delta", null);
    assertThat(out.isError()).isTrue();
    assertThat(out.text()).startsWith("old_string was not found in f.txt");
    assertThat(root.resolve("f.txt")).hasContent("alpha beta");
  }

  @Test
  void editRefusesAnAmbiguousTextUnlessReplaceAll() throws Exception {
    Files.writeString(root.resolve("f.txt"), "x = 1\ny = 1\nz = 1\n");
    ToolOutput ambiguous = edit("f.txt", "= 1", "= 2", null);
    assertThat(ambiguous.isError()).isTrue();
    assertThat(ambiguous.text()).startsWith("old_string occurs 3 times in f.txt").contains("replace_all");
    assertThat(edit("f.txt", "= 1", "= 2", false).isError()).isTrue();
    assertThat(root.resolve("f.txt")).hasContent("x = 1\ny = 1\nz = 1\n");

    assertThat(edit("f.txt", "= 1", "= 2", true)).isEqualTo(ToolOutput.ok("Made 3 replacements in f.txt."));
    assertThat(root.resolve("f.txt")).hasContent("x = 2\ny = 2\nz = 2\n");
  }

  @Test
  void editCanDeleteAndTakesReplaceAllAsAString() throws Exception {
    Files.writeString(root.resolve("f.txt"), "a-b-c");
    assertThat(call(edit, path("f.txt").put("old_string", "-").put("new_string", "").put("replace_all", "true")))
        .isEqualTo(ToolOutput.ok("Made 2 replacements in f.txt."));
    assertThat(root.resolve("f.txt")).hasContent("abc");
  }

  @Test
  void editOfAMissingFileOrWithAnEmptyOldStringIsAnError() throws Exception {
    assertThat(edit("nope.txt", "a", "b", null)).isEqualTo(ToolOutput.error("file \"nope.txt\" does not exist"));
    Files.writeString(root.resolve("f.txt"), "abc");
    assertThat(edit("f.txt", "", "b", null).text()).startsWith("argument \"old_string\" must not be empty");
  }

  @Test
  void listShowsDirectoriesFilesAndLinksSorted() throws Exception {
    Files.createDirectories(root.resolve("src/main"));
    Files.writeString(root.resolve("README.md"), "12345");
    Files.writeString(root.resolve("src/a.txt"), "");
    Files.createSymbolicLink(root.resolve("latest"), Path.of("src"));
    assertThat(call(list, new JsonObject())).isEqualTo(ToolOutput.ok(
        "file README.md (5 bytes)\nlink latest -> src\ndir  src/\n"));
    assertThat(call(list, path("src")).text()).isEqualTo("file a.txt (0 bytes)\ndir  main/\n");
    assertThat(call(list, path("latest")).text()).isEqualTo("file a.txt (0 bytes)\ndir  main/\n");
    assertThat(call(list, path("src/main")).text()).isEqualTo("(empty directory)");
  }

  @Test
  void listIsCutAtAThousandEntries() throws Exception {
    Path many = Files.createDirectories(root.resolve("many"));
    for (int i = 0; i < 1005; i++) {
      Files.createFile(many.resolve(String.format("f%04d", i)));
    }
    String text = call(list, path("many")).text();
    assertThat(text.lines()).hasSize(1001);
    assertThat(text).startsWith("file f0000 (0 bytes)\n")
        .contains("file f0999 (0 bytes)\n")
        .doesNotContain("f1000")
        .endsWith("[listing cut: 1005 entries in total, the first 1000 shown]\n");
  }

  @Test
  void listOfAFileOrAMissingDirectoryIsAnError() throws Exception {
    Files.writeString(root.resolve("f.txt"), "x");
    assertThat(call(list, path("f.txt")).text()).startsWith("\"f.txt\" is a file, not a directory");
    assertThat(call(list, path("nope"))).isEqualTo(ToolOutput.error("directory \"nope\" does not exist"));
  }

  @Test
  void missingOrWrongArgumentsAreErrorResults() throws Exception {
    String pathRequired = "argument \"path\" is required and must be a non-empty string";
    assertThat(call(read, new JsonObject())).isEqualTo(ToolOutput.error(pathRequired));
    assertThat(call(write, new JsonObject().put("content", "x"))).isEqualTo(ToolOutput.error(pathRequired));
    assertThat(call(edit, new JsonObject().put("old_string", "a").put("new_string", "b")))
        .isEqualTo(ToolOutput.error(pathRequired));
    assertThat(call(read, path(""))).isEqualTo(ToolOutput.error(pathRequired));
    assertThat(call(read, new JsonObject().put("path", 42))).isEqualTo(ToolOutput.error(pathRequired));
    assertThat(call(write, path("f.txt"))).isEqualTo(
        ToolOutput.error("argument \"content\" is required and must be a string"));
    assertThat(call(edit, path("f.txt").put("old_string", "a"))).isEqualTo(
        ToolOutput.error("argument \"new_string\" is required and must be a string"));
    assertThat(call(edit, path("f.txt").put("old_string", "a").put("new_string", "b").put("replace_all", "yes")))
        .isEqualTo(ToolOutput.error("argument \"replace_all\" must be true or false"));
    assertThat(call(list, new JsonObject().put("path", 7))).isEqualTo(
        ToolOutput.error("argument \"path\" must be a string"));
  }

  @Test
  void workspaceToolsHoldsTheToolsInOrder() {
    Workspace workspace = new Workspace(root);
    WorkspaceTools tools = WorkspaceTools.create(vertx, workspace, SETTINGS, Map.of(), new Sandbox(SETTINGS.sandbox(), dir));
    assertThat(tools.tools()).extracting(Tool::name)
        .containsExactly("shell", "file_read", "file_write", "file_edit", "file_list");
    assertThat(tools.tools()).allSatisfy(t -> assertThat(t.specification().description()).isNotBlank());
    tools.killAll();
  }
}
