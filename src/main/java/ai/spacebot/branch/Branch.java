package ai.spacebot.branch;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.BranchStart;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.Outcome;
import ai.spacebot.bus.ProcessKind;
import ai.spacebot.llm.Prompts;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.BranchSettings;
import ai.spacebot.llm.ChatJson;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.process.BackgroundProcess;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.memory.MemoryTools;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import ai.spacebot.bus.ProcessReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One branch: thinks on a copy of the channel's history with memory tools and returns a conclusion,
 * which re-triggers the channel. It never talks to the conversation itself.
 */
final class Branch extends BackgroundProcess {
  private final BranchStart start;
  private final AgentConfig agent;
  private final BranchSettings settings;
  private final StreamingChatModel model;
  private final Duration modelTimeout;
  private final String template;

  Branch(Vertx vertx, Context context, EventPublisher events, BranchStart start, AgentConfig agent,
      BranchSettings settings, StreamingChatModel model, Duration modelTimeout, String template, Runnable onEnd) {
    super(vertx, context, events, start.branchId(), ProcessKind.BRANCH, start.agentId(), start.channelId(),
        start.replyTo(), onEnd);
    this.start = start;
    this.agent = agent;
    this.settings = settings;
    this.model = model;
    this.modelTimeout = modelTimeout;
    this.template = template;
  }

  @Override
  protected void begin() {
    events.publish(new AgentEvent.BranchStarted(agentId, channelId, id, start.description()));
    List<ChatMessage> prompt = new ArrayList<>();
    prompt.add(SystemMessage.from(Prompts.render(template, Map.of(
        "agent_name", agent.name(),
        "max_turns", String.valueOf(settings.maxTurns()),
        "time", Prompts.clock()))));
    prompt.addAll(ChatJson.fromJson(start.history()));
    prompt.add(UserMessage.from("[Branch task]: " + start.description()));
    List<Tool> all = new ArrayList<>(MemoryTools.forAgent(vertx.eventBus(), agentId, channelId));
    all.add(new ChannelRecallTool(vertx.eventBus(), channelId));
    all.add(new SpawnWorkerTool(this::askChannel, agentId, channelId, id));
    // The role of the turn that started this branch: a stranger's branch does not even see spawn_worker.
    List<Tool> tools = all.stream().filter(t -> start.allows(t.name())).toList();
    List<Tool> refused = all.stream().filter(t -> !start.allows(t.name())).<Tool>map(RefusedTool::new).toList();
    loop = new ToolLoop(context, model, tools, settings.maxTurns(), modelTimeout, toolEvents()).unlisted(refused);
    loop.run(prompt).onComplete(ar -> {
      if (ended()) {
        return;
      }
      if (ar.failed()) {
        end(Outcome.FAILED, "The branch failed: " + ar.cause().getMessage());
      } else if (ar.result().hitTurnLimit()) {
        end(Outcome.PARTIAL, "Reached the limit of " + settings.maxTurns() + " steps. " + ar.result().text());
      } else {
        // An empty answer after tool calls finishes the branch; the channel is told so rather than given nothing.
        String text = ar.result().text();
        end(Outcome.SUCCESS, text.isBlank() ? "The branch finished without a conclusion." : text);
      }
    });
  }

  /** A tool the people this branch thinks for may not cause: called anyway, it says so instead of running. */
  private record RefusedTool(Tool tool) implements Tool {
    public dev.langchain4j.agent.tool.ToolSpecification specification() {
      return tool.specification();
    }

    public boolean fencesResult() {
      return false;
    }

    public Future<ai.spacebot.tools.ToolOutput> execute(JsonObject args) {
      return Future.succeededFuture(ai.spacebot.tools.ToolOutput.error("Refused: the people this branch works for may "
          + "not cause " + tool.name() + " (only the bot's admins can ask for that here). Say so in your conclusion."));
    }
  }

  private Future<Message<JsonObject>> askChannel(ProcessReport report) {
    return toChannel(report, true);
  }

  @Override
  protected AgentEvent completedEvent(Outcome outcome, String text, boolean waitingForInput) {
    return new AgentEvent.BranchCompleted(agentId, channelId, id, outcome, text);
  }
}
