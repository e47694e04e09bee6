package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.ToolArguments.optionalBoolean;
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

/**
 * {@code file_edit}: exact string replacement. An ambiguous match is refused unless replace_all is set, so the model
 * never changes a place it did not mean.
 */
public final class FileEditTool extends FileTool {
  private static final ToolSpecification SPEC = ToolSpecification.builder()
      .name("file_edit")
      .description("Change part of a text file in your workspace by replacing an exact piece of text. old_string must "
          + "match the file exactly, including whitespace and indentation, and must occur exactly once unless "
          + "replace_all is true; include enough surrounding lines to make it unique. Read the file first.")
      .parameters(JsonObjectSchema.builder()
          .addStringProperty("path", "The file, relative to the workspace.")
          .addStringProperty("old_string", "The exact text to replace.")
          .addStringProperty("new_string", "The text to put in its place (may be empty to delete).")
          .addBooleanProperty("replace_all", "Optional: replace every occurrence instead of exactly one (default false).")
          .required("path", "old_string", "new_string")
          .build())
      .build();

  public FileEditTool(Vertx vertx, Workspace workspace) {
    super(vertx, workspace);
  }

  public ToolSpecification specification() {
    return SPEC;
  }

  ToolOutput call(JsonObject args) throws IOException {
    String given = requiredString(args, "path");
    String oldString = requiredStringMayBeEmpty(args, "old_string");
    String newString = requiredStringMayBeEmpty(args, "new_string");
    boolean replaceAll = Boolean.TRUE.equals(optionalBoolean(args, "replace_all"));
    if (oldString.isEmpty()) {
      return ToolOutput.error("argument \"old_string\" must not be empty; use file_write to create or replace a file");
    }
    Path file = workspace.resolve(given);
    if (!Files.isRegularFile(file)) {
      return ToolOutput.error(Files.isDirectory(file)
          ? "\"" + given + "\" is a directory, not a file"
          : "file \"" + given + "\" does not exist");
    }
    String content = Files.readString(file, StandardCharsets.UTF_8);
    int count = occurrences(content, oldString);
    if (count == 0) {
      return ToolOutput.error("old_string was not found in " + given + "; read the file and copy the text exactly");
    }
    if (count > 1 && !replaceAll) {
      return ToolOutput.error("old_string occurs " + count + " times in " + given
          + "; include more surrounding text to make it unique, or set replace_all to true");
    }
    String edited = replaceAll ? content.replace(oldString, newString) : replaceFirst(content, oldString, newString);
    Files.writeString(file, edited, StandardCharsets.UTF_8);
    return ToolOutput.ok("Made " + count + (count == 1 ? " replacement" : " replacements") + " in " + given + ".");
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static String replaceFirst(String text, String part, String replacement) {
    int at = text.indexOf(part);
    return text.substring(0, at) + replacement + text.substring(at + part.length());
  }
}
