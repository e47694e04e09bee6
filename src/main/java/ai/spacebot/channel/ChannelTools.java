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

/**
 * The channel's tools for one turn: {@code reply}, {@code skip}, {@code react}, {@code send_file},
 * {@code send_message_to_another_channel}, and the ones that start and steer background processes: {@code branch},
 * {@code spawn_worker}, {@code route}, {@code cancel}.
 */
final class ChannelTools {
  private ChannelTools() {}

  /** What the process tools ask of the channel; each answers at once, the work runs elsewhere. */
  interface Actions {
    /** @param taskType e.g. coding: picks the model from the agent's task overrides; may be null */
    Future<String> branch(String description, String taskType);

    /** @param clean the worker sees only its task, not this conversation */
    Future<String> spawnWorker(String task, boolean interactive, boolean clean, String taskType);

    Future<Void> route(String workerId, String message);

    Future<Void> cancel(String processId);

    /** Checks that the file is inside the agent's workspace; gives its workspace-relative path. */
    Future<String> workspaceFile(String path);

    /** Posts in another of the agent's conversations; gives what the model reads, fails with a readable refusal. */
    Future<String> sendElsewhere(String target, String message);
  }

  /** The tools a turn's model is shown, and the ones it is not (its role may not cause them) that answer with a refusal. */
  record TurnTools(List<Tool> listed, List<Tool> refused) {}

  static TurnTools forTurn(TurnState state, Actions actions, TurnRole role) {
    List<Tool> all = List.of(new Reply(state), new Skip(state), new React(state), new SendFile(state, actions),
        new Branch(actions), new SpawnWorker(actions), new Route(actions), new Cancel(actions),
        new SendElsewhere(actions));
    List<Tool> listed = new java.util.ArrayList<>();
    List<Tool> refused = new java.util.ArrayList<>();
    for (Tool tool : all) {
      if (role.allows(tool.name())) {
        listed.add(tool);
      } else {
        refused.add(new Refusal(tool.specification(), state));
      }
    }
    return new TurnTools(List.copyOf(listed), List.copyOf(refused));
  }

  /** A tool this turn's senders may not cause: the model reads why, and the people are told even if it says nothing. */
  private record Refusal(ToolSpecification specification, TurnState state) implements Tool {
    public boolean fencesResult() {
      return false;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      state.refusals.add(TurnRole.refusal(specification.name()));
      return Future.succeededFuture(ToolOutput.error("Refused: the people in this turn may not cause "
          + specification.name() + ". " + TurnRole.refusal(specification.name())
          + " Tell them so in your reply; do not try again."));
    }
  }

  private static Future<ToolOutput> refusalAsResult(Throwable err) {
    return Future.succeededFuture(ToolOutput.error(err instanceof ChannelProcesses.Refused ? err.getMessage()
        : "Error: " + err.getMessage()));
  }

  private record Branch(Actions actions) implements Tool {
    public boolean fencesResult() {
      return false;
    }

    private static final ToolSpecification SPEC = ai.spacebot.tools.ToolSpecs.of("branch",
        "Think something through in the background on a copy of this conversation: recall or save memories "
            + "(\"remember that …\"), search the conversation's history, plan. Returns at once; the conclusion "
            + "arrives as a message and you answer then. Does not end your turn.",
        p -> p.addStringProperty("description", "What the branch should think about or do, self-contained.")
            .addStringProperty("task_type", "Optional kind of task, e.g. coding, when a model is configured for it.")
            .required("description"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      return actions.branch(requiredString(args, "description"), optionalString(args, "task_type"))
          .map(id -> ToolOutput.ok("Branch " + id + " started; its conclusion will arrive as a message."))
          .recover(ChannelTools::refusalAsResult);
    }
  }

  private record SpawnWorker(Actions actions) implements Tool {
    public boolean fencesResult() {
      return false;
    }

    private static final ToolSpecification SPEC = ai.spacebot.tools.ToolSpecs.of("spawn_worker",
        "Start a background worker for a task that needs shell commands or files (it has a workspace). "
            + "Returns at once with its id; the result arrives as a message. Does not end your turn.",
        p -> p.addStringProperty("task", "What the worker should do, self-contained: it sees the task and this conversation.")
            .addBooleanProperty("interactive", "true if the worker should wait for follow-ups (sent with route) after answering.")
            .addEnumProperty("history", List.of("fork", "clean"),
                "fork (default): the worker also sees this conversation; clean: only the task.")
            .addStringProperty("task_type", "Optional kind of task, e.g. coding, when a model is configured for it.")
            .required("task"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      Object interactive = args.getValue("interactive");
      if (interactive != null && !(interactive instanceof Boolean)) {
        return Future.succeededFuture(ToolOutput.error("Error: \"interactive\" must be true or false"));
      }
      String history = optionalString(args, "history");
      if (history != null && !history.equals("fork") && !history.equals("clean")) {
        return Future.succeededFuture(ToolOutput.error("Error: \"history\" must be fork or clean"));
      }
      return actions.spawnWorker(requiredString(args, "task"), Boolean.TRUE.equals(interactive), "clean".equals(history),
          optionalString(args, "task_type"))
          .map(id -> ToolOutput.ok("Worker " + id + " started; its result will arrive as a message."))
          .recover(ChannelTools::refusalAsResult);
    }
  }

  private record Route(Actions actions) implements Tool {
    public boolean fencesResult() {
      return false;
    }

    private static final ToolSpecification SPEC = ai.spacebot.tools.ToolSpecs.of("route",
        "Send a follow-up message to an interactive worker that is waiting for input.",
        p -> p.addStringProperty("worker_id", "The worker's id, e.g. w-1a2b3c4d.")
            .addStringProperty("message", "What to tell it.").required("worker_id", "message"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      String id = requiredString(args, "worker_id");
      return actions.route(id, requiredString(args, "message"))
          .map(v -> ToolOutput.ok("Sent to " + id + "."))
          .recover(ChannelTools::refusalAsResult);
    }
  }

  private record Cancel(Actions actions) implements Tool {
    public boolean fencesResult() {
      return false;
    }

    private static final ToolSpecification SPEC = ai.spacebot.tools.ToolSpecs.of("cancel",
        "Stop a running branch or worker of this conversation (its commands too).",
        p -> p.addStringProperty("process_id", "The branch or worker id.").required("process_id"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      String id = requiredString(args, "process_id");
      return actions.cancel(id).map(v -> ToolOutput.ok("Cancelled " + id + ".")).recover(ChannelTools::refusalAsResult);
    }
  }

  /** Posts in another of the agent's channels (see {@link CrossChannelSend}); does not end the turn. */
  private record SendElsewhere(Actions actions) implements Tool {
    static final String NAME = "send_message_to_another_channel";

    public boolean fencesResult() {
      return false;
    }

    private static final ToolSpecification SPEC = ai.spacebot.tools.ToolSpecs.of(NAME,
        "Post a message in another of your channels (not this conversation; answer here with reply). Only channels "
            + "you are bound to or already talk in. The people there see it as your message. Does not end your turn.",
        p -> p.addStringProperty("target", "The channel: its id or name from your channels list, or adapter:target, "
                + "e.g. telegram:-1001234567890, discord:{guild}:{channel}, slack:{team}:{channel}, twitch:{channel}, "
                + "portal:{session}, webhook:{id}:{conversation}.")
            .addStringProperty("message", "What to post there, in Markdown, self-contained (they do not see this "
                + "conversation).")
            .required("target", "message"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      return actions.sendElsewhere(requiredString(args, "target"), requiredString(args, "message"))
          .map(ToolOutput::ok)
          .recover(err -> Future.succeededFuture(ToolOutput.error(err instanceof CrossChannelSend.NotSent
              ? err.getMessage() : "Error: " + err.getMessage() + ". Nothing was sent.")));
    }
  }

  private record Reply(TurnState state) implements Tool {
    public boolean fencesResult() {
      return false;
    }

    private static final ToolSpecification SPEC = ToolSpecification.builder()
        .name("reply")
        .description("Send a message to the conversation. This is how you talk to the people here; it ends your turn. "
            + "It may carry a card, buttons (a click comes back to you as a message) or a poll; platforms that "
            + "cannot show them get them as text.")
        .parameters(JsonObjectSchema.builder()
            .addStringProperty("content", "The message to send, in Markdown.")
            .addStringProperty("thread_name", "Optional: start a thread with this name (at most 100 characters; "
                + "platforms with threads only).")
            .addProperty("card", JsonObjectSchema.builder()
                .description("Optional card: {title, description, fields:[{name, value, inline}], color:\"#rrggbb\", url}")
                .addStringProperty("title").addStringProperty("description").addStringProperty("color")
                .addStringProperty("url").build())
            .addProperty("buttons", dev.langchain4j.model.chat.request.json.JsonArraySchema.builder()
                .description("Optional buttons (at most 10): {id, label} reports a click back; {label, url} opens a link")
                .items(JsonObjectSchema.builder().addStringProperty("id").addStringProperty("label")
                    .addStringProperty("url").required("label").build()).build())
            .addProperty("poll", JsonObjectSchema.builder()
                .description("Optional poll: {question, options:[2-10 strings], multiple}")
                .addStringProperty("question")
                .addProperty("options", dev.langchain4j.model.chat.request.json.JsonArraySchema.builder()
                    .items(new dev.langchain4j.model.chat.request.json.JsonStringSchema()).build())
                .addBooleanProperty("multiple").required("question", "options").build())
            .required("content")
            .build())
        .build();

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      String content = requiredString(args, "content");
      String threadName = optionalString(args, "thread_name");
      if (threadName != null && threadName.strip().length() > 100) {
        return Future.succeededFuture(ToolOutput.error("\"thread_name\" must be at most 100 characters"));
      }
      JsonObject rich = new JsonObject();
      for (String key : new String[] {"card", "buttons", "poll"}) {
        if (args.getValue(key) != null) {
          rich.put(key, args.getValue(key));
        }
      }
      try {
        ai.spacebot.bus.RichReply parsed = ai.spacebot.bus.RichReply.fromJson(rich);
        state.rich = parsed == null ? state.rich : parsed.toJson();
      } catch (IllegalArgumentException e) {
        return Future.succeededFuture(ToolOutput.error("Error: " + e.getMessage()));
      }
      state.threadName = threadName != null ? threadName.strip() : state.threadName;
      state.reply = state.reply == null ? content : state.reply + "\n\n" + content;
      return Future.succeededFuture(ToolOutput.finish("Sent."));
    }
  }

  private record SendFile(TurnState state, Actions actions) implements Tool {
    public boolean fencesResult() {
      return false;
    }

    private static final ToolSpecification SPEC = ai.spacebot.tools.ToolSpecs.of("send_file",
        "Send a file from the workspace (something a worker made, or an attachment) to this conversation, with your "
            + "reply. Does not end your turn.",
        p -> p.addStringProperty("path", "The file's path in the workspace, e.g. reports/summary.pdf.")
            .required("path"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      String path = requiredString(args, "path");
      if (state.files.size() >= 10) {
        return Future.succeededFuture(ToolOutput.error("Error: at most 10 files per reply"));
      }
      return actions.workspaceFile(path)
          .map(relative -> {
            state.files.add(relative);
            return ToolOutput.ok("Will send " + relative + " with your reply.");
          })
          .recover(err -> Future.succeededFuture(ToolOutput.error("Error: " + err.getMessage())));
    }
  }

  private record Skip(TurnState state) implements Tool {
    public boolean fencesResult() {
      return false;
    }

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
    public boolean fencesResult() {
      return false;
    }

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
