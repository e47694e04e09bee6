package ai.spacebot.channel;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.BranchStart;
import ai.spacebot.bus.ProcessControl;
import ai.spacebot.bus.ProcessKind;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.bus.WorkerStart;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.ChatJson;
import dev.langchain4j.data.message.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The branches and workers one channel has running: the per-channel caps, the duplicate-task check,
 * start requests over the bus, {@code route} and {@code cancel}, and the status block of the prompt.
 * Touched only on the channel's event loop.
 */
final class ChannelProcesses {
  private static final DeliveryOptions START = new DeliveryOptions().setSendTimeout(10_000);
  private static final int STATUS_CHARS = 500;

  /** One running process as the channel sees it. */
  static final class Running {
    final String id;
    final ProcessKind kind;
    final String task;
    final boolean interactive;
    /** The role of the turn that started it: its result's turn gets it back. */
    final TurnRole role;
    String status = "";
    boolean waitingForInput;

    Running(String id, ProcessKind kind, String task, boolean interactive, TurnRole role) {
      this.id = id;
      this.kind = kind;
      this.task = task;
      this.interactive = interactive;
      this.role = role;
    }
  }

  /** A refusal the model reads as its tool result (limit reached, duplicate, unknown id). */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final String agentId;
  private final String channelId;
  private final SpacebotConfig config;
  private final EventBus bus;
  private final String inbox;
  private final Map<String, Running> running = new LinkedHashMap<>();
  /** Processes this channel's own {@code cancel} tool stopped: the model already knows, so no re-trigger. */
  private final java.util.Set<String> cancelledHere = new java.util.HashSet<>();

  ChannelProcesses(String agentId, String channelId, SpacebotConfig config, EventBus bus, String inbox) {
    this.agentId = agentId;
    this.channelId = channelId;
    this.config = config;
    this.bus = bus;
    this.inbox = inbox;
  }

  /** The role a running process was started with, or null for one this channel does not know (started before a restart). */
  TurnRole roleOf(String processId) {
    Running r = running.get(processId);
    return r == null ? null : r.role;
  }

  boolean any() {
    return !running.isEmpty();
  }

  int count(ProcessKind kind) {
    return (int) running.values().stream().filter(r -> r.kind == kind).count();
  }

  Future<String> branch(String description, List<ChatMessage> fork, String model, TurnRole role) {
    if (count(ProcessKind.BRANCH) >= config.branch().maxConcurrent()) {
      return Future.failedFuture(new Refused("Limit reached: " + config.branch().maxConcurrent()
          + " branches are already running in this conversation. Wait for one to conclude or cancel one."));
    }
    String id = "b-" + shortId();
    Running r = new Running(id, ProcessKind.BRANCH, description, false, role);
    running.put(id, r);
    BranchStart start = new BranchStart(id, agentId, channelId, description, model, ChatJson.toJson(fork), inbox,
        role.toJson());
    return bus.request(Addresses.BRANCH_START, start.toJson(), START).map(reply -> id)
        .recover(err -> {
          running.remove(id);
          return Future.failedFuture(new Refused("Could not start the branch: " + describe(err)));
        });
  }

  Future<String> worker(String task, boolean interactive, List<ChatMessage> fork, String model, TurnRole role) {
    if (!role.allows("spawn_worker")) {
      return Future.failedFuture(new Refused("Refused: " + TurnRole.refusal("spawn_worker")));
    }
    if (count(ProcessKind.WORKER) >= config.worker().maxConcurrent()) {
      return Future.failedFuture(new Refused("Limit reached: " + config.worker().maxConcurrent()
          + " workers are already running in this conversation. Wait for one to finish or cancel one."));
    }
    String key = normalise(task);
    for (Running r : running.values()) {
      if (r.kind == ProcessKind.WORKER && normalise(r.task).equals(key)) {
        return Future.failedFuture(new Refused("Worker " + r.id + " is already doing this task."));
      }
    }
    String id = "w-" + shortId();
    running.put(id, new Running(id, ProcessKind.WORKER, task, interactive, role));
    WorkerStart start = new WorkerStart(id, agentId, channelId, task, interactive, model, ChatJson.toJson(fork), inbox);
    return bus.request(Addresses.WORKER_START, start.toJson(), START).map(reply -> id)
        .recover(err -> {
          running.remove(id);
          return Future.failedFuture(new Refused("Could not start the worker: " + describe(err)));
        });
  }

  Future<Void> route(String workerId, String message) {
    Running r = running.get(workerId);
    if (r == null || r.kind != ProcessKind.WORKER) {
      return Future.failedFuture(new Refused("No worker " + workerId + " is running in this conversation."));
    }
    if (!r.interactive) {
      return Future.failedFuture(new Refused("Worker " + workerId + " is not interactive; it takes no input."));
    }
    return bus.request(Addresses.process(workerId), ProcessControl.input(message).toJson())
        .<Void>mapEmpty()
        .onSuccess(v -> r.waitingForInput = false)
        .recover(err -> Future.failedFuture(new Refused("Could not route to " + workerId + ": " + describe(err))));
  }

  Future<Void> cancel(String processId, String reason) {
    if (!running.containsKey(processId)) {
      return Future.failedFuture(new Refused("No branch or worker " + processId + " is running in this conversation."));
    }
    return bus.request(Addresses.process(processId), ProcessControl.cancel(reason).toJson()).<Void>mapEmpty()
        .recover(err -> {
          if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            running.remove(processId); // its node is gone; nothing left to stop, and no result will come
            cancelledHere.remove(processId);
            return Future.succeededFuture();
          }
          return Future.failedFuture(new Refused("Could not cancel " + processId + ": " + describe(err)));
        });
  }

  /** Cancels on the channel's own request: its result is kept in history but asks for no turn. */
  Future<Void> cancelHere(String processId) {
    // Marked before asking: the process may report its result before it answers the request.
    if (running.containsKey(processId)) {
      cancelledHere.add(processId);
    }
    return cancel(processId, "cancelled by the conversation").onFailure(err -> cancelledHere.remove(processId));
  }

  /**
   * Applies a result: the process is gone, unless it is an interactive worker now waiting for input.
   * Returns whether the result deserves a turn of its own (everything but a cancel the channel asked for).
   */
  boolean onResult(ProcessReport.Result result) {
    boolean askedHere = cancelledHere.remove(result.processId());
    Running r = running.get(result.processId());
    if (r == null) {
      return !askedHere;
    }
    if (result.waitingForInput()) {
      r.waitingForInput = true;
    } else {
      running.remove(result.processId());
    }
    return !(askedHere && result.outcome() == ai.spacebot.bus.Outcome.CANCELLED);
  }

  void onStatus(ProcessReport.Status status) {
    Running r = running.get(status.processId());
    if (r != null) {
      r.status = status.status();
    }
  }

  /** The prompt's view of what runs, capped so a chatty worker cannot flood it. */
  String statusBlock() {
    if (running.isEmpty()) {
      return "No workers or branches are running.";
    }
    StringBuilder out = new StringBuilder("Running in the background:\n");
    for (Running r : running.values()) {
      out.append("- ").append(r.kind.wire()).append(' ').append(r.id).append(": ").append(cap(r.task));
      if (!r.status.isEmpty()) {
        out.append(" — status: ").append(cap(r.status));
      }
      if (r.waitingForInput) {
        out.append(" (waiting for input: use route)");
      }
      out.append('\n');
    }
    return out.toString().strip();
  }

  private static String cap(String s) {
    return s.length() <= STATUS_CHARS ? s : s.substring(0, STATUS_CHARS) + "…";
  }

  private static String normalise(String task) {
    return task.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /** Short enough for a model to copy into route/cancel, random so ids from different nodes never collide. */
  private static String shortId() {
    return java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private static String describe(Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return "no process of that kind is running on any node";
    }
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      return "it did not answer in time";
    }
    return err.getMessage();
  }
}
