package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.ToolArguments.optionalString;

import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/** {@code file_list}: one directory level, sorted, capped so a huge directory cannot flood the context. */
public final class FileListTool extends FileTool {
  static final int MAX_ENTRIES = 1000;

  private static final ToolSpecification SPEC = ToolSpecification.builder()
      .name("file_list")
      .description("List a directory of your workspace: one entry per line, sorted by name, as \"dir name/\", "
          + "\"file name (N bytes)\" or \"link name -> target\". Not recursive; use shell (e.g. find) for a tree. "
          + "At most " + MAX_ENTRIES + " entries are shown.")
      .parameters(JsonObjectSchema.builder()
          .addStringProperty("path", "Optional: the directory, relative to the workspace (default: the workspace itself).")
          .build())
      .build();

  public FileListTool(Vertx vertx, Workspace workspace) {
    super(vertx, workspace);
  }

  public ToolSpecification specification() {
    return SPEC;
  }

  ToolOutput call(JsonObject args) throws IOException {
    String given = optionalString(args, "path");
    if (given == null || given.isBlank()) {
      given = ".";
    }
    Path dir = workspace.resolve(given);
    if (!Files.isDirectory(dir)) {
      return ToolOutput.error(Files.exists(dir)
          ? "\"" + given + "\" is a file, not a directory; use file_read to read it"
          : "directory \"" + given + "\" does not exist");
    }
    List<Path> entries;
    try (Stream<Path> stream = Files.list(dir)) {
      entries = stream.sorted().toList();
    }
    if (entries.isEmpty()) {
      return ToolOutput.ok("(empty directory)");
    }
    StringBuilder text = new StringBuilder();
    for (Path entry : entries.subList(0, Math.min(entries.size(), MAX_ENTRIES))) {
      text.append(describe(entry)).append('\n');
    }
    if (entries.size() > MAX_ENTRIES) {
      text.append("[listing cut: ").append(entries.size()).append(" entries in total, the first ").append(MAX_ENTRIES)
          .append(" shown]\n");
    }
    return ToolOutput.ok(text.toString());
  }

  /** Links are shown, not followed: following one could reveal what lies outside the workspace. */
  private static String describe(Path entry) throws IOException {
    String name = entry.getFileName().toString();
    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      return "link " + name + " -> " + Files.readSymbolicLink(entry);
    }
    if (attributes.isDirectory()) {
      return "dir  " + name + "/";
    }
    return "file " + name + " (" + attributes.size() + " bytes)";
  }
}
