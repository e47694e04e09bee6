package ai.spacebot.process;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.Outcome;
import ai.spacebot.bus.ProcessControl;
import ai.spacebot.bus.ProcessKind;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a branch and a worker share: a control address for cancel and input, a wall clock, tool events
 * tagged with the process id, and exactly one final report to the channel that started it. All of it
 * runs on the context of the verticle that took the start request.
 */
public abstract class BackgroundProcess {
  private static final Logger log = LoggerFactory.getLogger(BackgroundProcess.class);

  protected final Vertx vertx;
  protected final Context context;
  protected final EventPublisher events;
  protected final String id;
  protected final ProcessKind kind;
  protected final String agentId;
  protected final String channelId;
  private final String replyTo;
  private final Runnable onEnd;
  private MessageConsumer<JsonObject> control;
  private long wallTimer = -1;
  private boolean ended;
  private int reports;
  private static final DeliveryOptions REPORT = new DeliveryOptions().setSendTimeout(10_000);
  /** The tool loop running now, if any; cancel stops it. */
  protected ToolLoop loop;

  protected BackgroundProcess(Vertx vertx, Context context, EventPublisher events, String id, ProcessKind kind,
      String agentId, String channelId, String replyTo, Runnable onEnd) {
    this.vertx = vertx;
    this.context = context;
    this.events = events;
    this.id = id;
    this.kind = kind;
    this.agentId = agentId;
    this.channelId = channelId;
    this.replyTo = replyTo;
    this.onEnd = onEnd;
  }

  /** Listens on its control address, then starts; the wall clock ends it with outcome Timeout. */
  public final Future<Void> start(Duration wallClock) {
    control = vertx.eventBus().consumer(Addresses.process(id), this::control);
    return control.completion().onSuccess(v -> {
      wallTimer = vertx.setTimer(wallClock.toMillis(), t -> {
        wallTimer = -1;
        stop(Outcome.TIMEOUT, "Stopped after " + wallClock.toSeconds() + " s (the time limit). ", "timed out");
      });
      begin();
    });
  }

  /** Starts the work; called once, on the owning context. */
  protected abstract void begin();

  /**
   * Ends with {@code outcome} first, then stops the work: the stopped loop's own failure then finds the
   * process ended and reports nothing more.
   */
  private void stop(Outcome outcome, String text, String reason) {
    end(outcome, text + partialResult());
    stopWork(reason);
  }

  /** Stops whatever runs now (model call, commands) without reporting. */
  protected void stopWork(String reason) {
    if (loop != null) {
      loop.cancel(reason);
    }
  }

  /** What the process has to show when it is stopped early; may be empty. */
  protected String partialResult() {
    return "";
  }

  /** An interactive worker's next message; others refuse it. */
  protected Future<Void> input(String text) {
    return Future.failedFuture("this process does not take input");
  }

  protected abstract AgentEvent completedEvent(Outcome outcome, String text, boolean waitingForInput);

  public boolean ended() {
    return ended;
  }

  private void control(Message<JsonObject> msg) {
    ProcessControl c = ProcessControl.fromJson(msg.body());
    switch (c.action()) {
      case ProcessControl.CANCEL -> {
        if (ended) {
          msg.fail(404, "process " + id + " has already ended");
          return;
        }
        String reason = c.text() == null || c.text().isBlank() ? "cancelled" : c.text();
        log.info("[{}] {} {} cancelled: {}", channelId, kind.wire(), id, reason);
        stop(Outcome.CANCELLED, "Cancelled: " + reason + ". ", reason);
        msg.reply(new JsonObject().put("cancelled", true));
      }
      case ProcessControl.INPUT -> input(c.text()).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(new JsonObject().put("delivered", true));
        } else {
          msg.fail(409, ar.cause().getMessage());
        }
      });
      default -> msg.fail(400, "unknown action " + c.action());
    }
  }

  /**
   * Reports a result to the channel. With {@code waitingForInput} the process stays alive (an
   * interactive worker between messages); otherwise this is its end, and later calls do nothing.
   */
  protected final void report(Outcome outcome, String text, boolean waitingForInput) {
    if (ended) {
      return;
    }
    // The result goes into the channel's model context and transcript: no known secret value in it.
    String body = text == null || text.isBlank() ? "(no result text)"
        : ai.spacebot.secrets.SecretScrubber.of(vertx).redact(text.strip());
    ProcessReport.Result result = new ProcessReport.Result(id, kind, agentId, channelId, outcome, body, waitingForInput);
    int n = ++reports;
    vertx.eventBus().request(replyTo, result.toJson(), REPORT).onFailure(err -> asMessage(result, n, err));
    events.publish(completedEvent(outcome, body, waitingForInput));
  }

  /**
   * The channel instance that started this process is gone (its node restarted, or it was moved): the
   * result goes in as a system message of the conversation instead, stored before it is acknowledged
   * like any message, so whichever node owns the conversation now answers it.
   */
  private void asMessage(ProcessReport.Result result, int n, Throwable why) {
    log.info("[{}] {} {} could not reach its channel ({}); sending the result as a message", channelId, kind.wire(), id,
        why.getMessage());
    String platform = channelId.contains(":") ? channelId.substring(0, channelId.indexOf(':')) : channelId;
    String text = "[" + kind.label() + " " + id + " finished (" + result.outcome().label() + ")]: " + result.text();
    InboundMessage message = new InboundMessage(UUID.randomUUID().toString(), agentId, platform, channelId, "system",
        kind.wire(), text, System.currentTimeMillis(), "result:" + id + ":" + n,
        new JsonObject().put("process_result", true));
    vertx.eventBus().request(Addresses.INBOUND, message.toJson(), REPORT).onFailure(err ->
        log.warn("[{}] The result of {} {} is lost: {}", channelId, kind.wire(), id, err.getMessage()));
  }

  protected final void end(Outcome outcome, String text) {
    if (ended) {
      return;
    }
    report(outcome, text, false);
    ended = true;
    if (wallTimer >= 0) {
      vertx.cancelTimer(wallTimer);
    }
    control.unregister();
    onEnd.run();
  }

  /** Sends a report that is not a result (status, spawn request) to the channel. */
  protected final Future<Message<JsonObject>> toChannel(ProcessReport report, boolean expectReply) {
    if (!expectReply) {
      vertx.eventBus().send(replyTo, report.toJson());
      return Future.succeededFuture();
    }
    return vertx.eventBus().request(replyTo, report.toJson());
  }

  /** Tool events tagged with this process's id. */
  protected ToolLoop.Listener toolEvents() {
    return new ToolLoop.Listener() {
      @Override
      public void onToolStarted(ToolExecutionRequest call) {
        events.publish(new AgentEvent.ToolStarted(agentId, channelId, id, call.name(), call.id(), call.arguments()));
      }

      @Override
      public void onToolCompleted(ToolExecutionRequest call, ToolOutput output) {
        events.publish(new AgentEvent.ToolCompleted(agentId, channelId, id, call.name(), call.id(), output.text(),
            output.isError()));
      }
    };
  }
}
