package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.ToolArguments.requiredString;

import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code file_read}: a text file of the workspace, cut at the output cap so one big file cannot flood the context. */
public final class FileReadTool extends FileTool {
  private final int cap;
  private final ToolSpecification specification;

  public FileReadTool(Vertx vertx, Workspace workspace, int outputCapBytes) {
    super(vertx, workspace);
    this.cap = outputCapBytes;
    this.specification = ToolSpecification.builder()
        .name("file_read")
        .description("Read a text file from your workspace and get its exact content. Files larger than "
            + outputCapBytes + " bytes are cut, with a note saying so; use shell (e.g. sed -n '100,200p' file) to read "
            + "further parts.")
        .parameters(JsonObjectSchema.builder()
            .addStringProperty("path", "The file, relative to the workspace (e.g. \"notes/todo.md\").")
            .required("path")
            .build())
        .build();
  }

  public ToolSpecification specification() {
    return specification;
  }

  ToolOutput call(JsonObject args) throws IOException {
    String given = requiredString(args, "path");
    Path file = workspace.resolve(given);
    if (Files.isDirectory(file)) {
      return ToolOutput.error("\"" + given + "\" is a directory, not a file; use file_list to see what is in it");
    }
    if (!Files.exists(file)) {
      return ToolOutput.error("file \"" + given + "\" does not exist");
    }
    if (!Files.isRegularFile(file)) {
      // a FIFO or device would block this thread or never end
      return ToolOutput.error("\"" + given + "\" is not a regular file");
    }
    long size = Files.size(file);
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(cap);
    }
    if (head.length == 0) {
      return ToolOutput.ok("(empty file)");
    }
    if (size <= head.length) {
      return ToolOutput.ok(new String(head, StandardCharsets.UTF_8));
    }
    int shown = Utf8.wholeCharacters(head, head.length);
    return ToolOutput.ok(CappedOutput.endLine(new String(head, 0, shown, StandardCharsets.UTF_8))
        + "[file truncated: " + size + " bytes in total, the first " + shown + " shown]");
  }
}
