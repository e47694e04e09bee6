package ai.spacebot.worker;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.Outcome;
import ai.spacebot.bus.ProcessKind;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.bus.WorkerStart;
import ai.spacebot.llm.Prompts;
import ai.spacebot.llm.context.HistoryCut;
import ai.spacebot.llm.context.TokenEstimator;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.CompactionSettings;
import ai.spacebot.llm.ContextOverflow;
import ai.spacebot.config.WorkerSettings;
import ai.spacebot.llm.ChatJson;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.process.BackgroundProcess;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.web.WebFetchTool;
import ai.spacebot.tools.web.WebFetcher;
import ai.spacebot.tools.workspace.WorkspaceTools;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One worker: does a task with shell and file tools in the agent's workspace, and web_fetch through the SSRF guard. It runs in segments of
 * {@code segmentTurns} model calls; a segment that ends with the model still at work starts the next,
 * up to {@code maxSegments} (then outcome Partial). An interactive worker reports each answer and waits
 * for the next message ({@code route}) instead of ending.
 */
final class Worker extends BackgroundProcess {
  private final WorkerStart start;
  private final AgentConfig agent;
  private final WorkerSettings settings;
  private final StreamingChatModel model;
  private final Duration modelTimeout;
  private final String template;
  private final WorkspaceTools workspace;
  private final CompactionSettings compaction;
  private final WebFetcher web;
  private final int webMaxChars;
  private final List<ChatMessage> conversation = new ArrayList<>();
  private UserMessage taskMessage;
  private String lastText = "";
  /** How much of a last tool output stands in for a worker's missing summary. */
  static final int WORDLESS_OUTPUT_MAX = 4000;
  private boolean waitingForInput;

  Worker(Vertx vertx, Context context, EventPublisher events, WorkerStart start, AgentConfig agent,
      WorkerSettings settings, StreamingChatModel model, Duration modelTimeout, String template,
      WorkspaceTools workspace, CompactionSettings compaction, WebFetcher web, int webMaxChars, Runnable onEnd) {
    super(vertx, context, events, start.workerId(), ProcessKind.WORKER, start.agentId(), start.channelId(),
        start.replyTo(), onEnd);
    this.start = start;
    this.agent = agent;
    this.settings = settings;
    this.model = model;
    this.modelTimeout = modelTimeout;
    this.template = template;
    this.workspace = workspace;
    this.compaction = compaction;
    this.web = web;
    this.webMaxChars = webMaxChars;
  }

  @Override
  protected void begin() {
    events.publish(new AgentEvent.WorkerStarted(agentId, channelId, id, start.task(), start.interactive()));
    conversation.add(SystemMessage.from(Prompts.render(template, Map.of(
        "agent_name", agent.name(),
        "segment_turns", String.valueOf(settings.segmentTurns()),
        "max_segments", String.valueOf(settings.maxSegments()),
        "interactive", start.interactive()
            ? "- You are interactive: after your answer you may get follow-up messages; each is a new instruction.\n"
            : "",
        "time", Prompts.clock()))));
    conversation.addAll(ChatJson.fromJson(start.history()));
    taskMessage = UserMessage.from("[Task]: " + start.task());
    conversation.add(taskMessage);
    runSegment(1, false);
  }

  /**
   * Keeps the work within the model's window: drops the oldest part of what the worker did (never its
   * instructions or its task), without a model call. Segments of shell output can grow fast.
   */
  private void compact(double fraction) {
    List<ChatMessage> rest = new ArrayList<>(conversation.subList(1, conversation.size()));
    rest.remove(taskMessage);
    if (rest.size() < 2) {
      return;
    }
    List<ChatMessage> kept = HistoryCut.emergencyDrop(rest, fraction);
    ChatMessage system = conversation.get(0);
    conversation.clear();
    conversation.add(system);
    conversation.add(taskMessage);
    conversation.addAll(kept);
  }

  private void runSegment(int segment, boolean afterOverflow) {
    if (!afterOverflow && TokenEstimator.estimate(conversation) >= settings.compactThreshold() * compaction.contextWindow()) {
      compact(settings.compactFraction());
    }
    List<Tool> tools = new ArrayList<>(workspace.tools());
    tools.add(new WebFetchTool(web, webMaxChars, this::status));
    tools.add(new SetStatusTool(this::status));
    loop = new ToolLoop(context, model, tools, settings.segmentTurns(), modelTimeout, toolEvents());
    loop.run(List.copyOf(conversation)).onComplete(ar -> {
      if (ended()) {
        return;
      }
      if (ar.failed() && !afterOverflow && ContextOverflow.is(ar.cause())) {
        compact(settings.overflowFraction());
        runSegment(segment, true);
        return;
      }
      if (ar.failed()) {
        end(Outcome.FAILED, "The worker failed: " + ar.cause().getMessage() + ". " + partialResult());
        return;
      }
      ToolLoop.Result result = ar.result();
      conversation.addAll(result.messages());
      if (!result.text().isBlank()) {
        lastText = result.text().strip();
      }
      if (!result.hitTurnLimit()) {
        finishAnswer(result.text().isBlank() ? wordlessEnding() : result.text());
      } else if (segment < settings.maxSegments()) {
        conversation.add(UserMessage.from("[Checkpoint " + segment + " of " + settings.maxSegments()
            + "]: continue the task; answer without a tool call when it is done."));
        runSegment(segment + 1, false);
      } else {
        end(Outcome.PARTIAL, "Stopped after " + settings.maxSegments() + " segments of " + settings.segmentTurns()
            + " steps without finishing. " + partialResult());
      }
    });
  }

  /**
   * What a worker that ended without a word did last: its last tool's output, so that the channel has something to
   * pass on (a provider's empty answer after tool calls is a finished turn, not a failure).
   */
  private String wordlessEnding() {
    for (int i = conversation.size() - 1; i >= 0; i--) {
      if (conversation.get(i) instanceof ToolExecutionResultMessage r) {
        String output = r.text() == null ? "" : r.text().strip();
        return "Finished without a summary. Last tool output (" + r.toolName() + "):\n"
            + (output.length() > WORDLESS_OUTPUT_MAX ? output.substring(0, WORDLESS_OUTPUT_MAX) + "…" : output);
      }
    }
    return lastText.isEmpty() ? "Finished without a summary or any output." : lastText;
  }

  private void finishAnswer(String text) {
    if (start.interactive()) {
      waitingForInput = true;
      report(Outcome.SUCCESS, text, true);
    } else {
      end(Outcome.SUCCESS, text);
    }
  }

  @Override
  protected Future<Void> input(String text) {
    if (ended()) {
      return Future.failedFuture("worker " + id + " has ended");
    }
    if (!waitingForInput) {
      return Future.failedFuture("worker " + id + " is busy and not waiting for input");
    }
    waitingForInput = false;
    conversation.add(UserMessage.from("[Follow-up]: " + text));
    runSegment(1, false);
    return Future.succeededFuture();
  }

  private void status(String status) {
    events.publish(new AgentEvent.WorkerStatus(agentId, channelId, id, status));
    toChannel(new ProcessReport.Status(id, ProcessKind.WORKER, agentId, channelId, status), false);
  }

  @Override
  protected void stopWork(String reason) {
    super.stopWork(reason);
    workspace.killAll();
  }

  @Override
  protected String partialResult() {
    return lastText.isEmpty() ? "" : "Last output: " + lastText;
  }

  @Override
  protected AgentEvent completedEvent(Outcome outcome, String text, boolean waiting) {
    return new AgentEvent.WorkerCompleted(agentId, channelId, id, outcome, text, waiting);
  }
}
