package ai.spacebot.channel;

import static ai.spacebot.tools.ToolArguments.optionalString;
import static ai.spacebot.tools.ToolArguments.requiredString;

import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The channel's tools for one turn: {@code reply}, {@code skip}, {@code react}. */
final class ChannelTools {
  private ChannelTools() {}

  static List<Tool> forTurn(TurnState state) {
    return List.of(new Reply(state), new Skip(state), new React(state));
  }

  private record Reply(TurnState state) implements Tool {
    private static final ToolSpecification SPEC = ToolSpecification.builder()
        .name("reply")
        .description("Send a message to the conversation. This is how you talk to the people here; it ends your turn.")
        .parameters(JsonObjectSchema.builder()
            .addStringProperty("content", "The message to send, in Markdown.")
            .addStringProperty("thread_name", "Optional: start a thread with this name (platforms with threads only).")
            .required("content")
            .build())
        .build();

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      String content = requiredString(args, "content");
      optionalString(args, "thread_name");
      state.reply = state.reply == null ? content : state.reply + "\n\n" + content;
      return Future.succeededFuture(ToolOutput.finish("Sent."));
    }
  }

  private record Skip(TurnState state) implements Tool {
    private static final ToolSpecification SPEC = ToolSpecification.builder()
        .name("skip")
        .description("Say nothing this time (the message needs no answer from you). Ends your turn.")
        .parameters(JsonObjectSchema.builder().addStringProperty("reason", "Why you stay silent (for the logs).").build())
        .build();

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      state.skipped = true;
      state.skipReason = optionalString(args, "reason");
      return Future.succeededFuture(ToolOutput.finish("Skipped."));
    }
  }

  private record React(TurnState state) implements Tool {
    private static final ToolSpecification SPEC = ToolSpecification.builder()
        .name("react")
        .description("Add an emoji reaction to the latest message. Does not end your turn.")
        .parameters(JsonObjectSchema.builder().addStringProperty("emoji", "A single emoji, e.g. 👍").required("emoji").build())
        .build();

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      String emoji = requiredString(args, "emoji").strip();
      if (emoji.codePointCount(0, emoji.length()) > 8) {
        return Future.succeededFuture(ToolOutput.error("\"emoji\" must be a single emoji"));
      }
      state.reactions.add(emoji);
      return Future.succeededFuture(ToolOutput.ok("Reacted with " + emoji + "."));
    }
  }
}
