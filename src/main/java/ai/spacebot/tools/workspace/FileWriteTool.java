package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.ToolArguments.requiredString;
import static ai.spacebot.tools.ToolArguments.requiredStringMayBeEmpty;

import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code file_write}: creates or replaces a whole file, with any missing parent directories. */
public final class FileWriteTool extends FileTool {
  private static final ToolSpecification SPEC = ToolSpecification.builder()
      .name("file_write")
      .description("Write a file in your workspace, replacing it entirely if it exists. Missing parent directories are "
          + "created. To change part of an existing file, use file_edit instead.")
      .parameters(JsonObjectSchema.builder()
          .addStringProperty("path", "The file, relative to the workspace (e.g. \"src/main.py\").")
          .addStringProperty("content", "The complete new content of the file (UTF-8 text).")
          .required("path", "content")
          .build())
      .build();

  public FileWriteTool(Vertx vertx, Workspace workspace) {
    super(vertx, workspace);
  }

  public ToolSpecification specification() {
    return SPEC;
  }

  ToolOutput call(JsonObject args) throws IOException {
    String given = requiredString(args, "path");
    byte[] content = requiredStringMayBeEmpty(args, "content").getBytes(StandardCharsets.UTF_8);
    Path file = workspace.resolve(given);
    if (Files.isDirectory(file)) {
      return ToolOutput.error("\"" + given + "\" is a directory; give a file path");
    }
    Path parent = file.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, content);
    return ToolOutput.ok("Wrote " + content.length + " bytes to " + given + ".");
  }
}
