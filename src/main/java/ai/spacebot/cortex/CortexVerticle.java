package ai.spacebot.cortex;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.Leadership;
import ai.spacebot.bus.ProcessControl;
import ai.spacebot.bus.ProcessInfo;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.CortexSettings;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cortex: the per-agent supervisor. Deployed once per node.
 *
 * <p>Every node's cortex keeps the {@link ProcessTable} (lifecycle events reach every node) and answers
 * {@link Addresses#CORTEX_PROCESSES} and {@link Addresses#CORTEX_CANCEL}. For each agent exactly one cortex
 * in the cluster leads ({@link Leadership}); the leader, every {@code tick_seconds}, cancels the agent's
 * branches and workers that made no progress for {@code stuck_after_seconds} or ran past their wall clock
 * (their own timeout plus {@link #WALL_CLOCK_GRACE_MS}: the processes enforce their own, this is the
 * backstop), publishing {@code process_stuck} first. It also runs memory maintenance through
 * {@link Addresses#MEMORY_MAINTAIN} on the {@link MaintenanceSchedule}, publishing {@code memory_maintenance}
 * for each run, failure and pause. It never calls a model; with no processes and no maintenance due it only
 * looks at an empty table once a tick.
 *
 * <p>{@code CORTEX_CANCEL {process_id, channel_id?, reason?}}: 400 without process_id; 404 when the process
 * is not in the table (for that channel, if given) or nobody listens on its control address any more (the
 * row is then removed); 504 when it does not confirm within {@link #CANCEL_TIMEOUT_MS}; else
 * {@code {cancelled: true, process_id}}. The row stays until the process reports its end.
 *
 * <p>A cortex that starts in a running cluster first copies another node's table, so processes that
 * started before it are supervised too once it leads.
 */
public final class CortexVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CortexVerticle.class);
  /** Added to branch/worker {@code timeout_seconds} before the cortex steps in. */
  static final long WALL_CLOCK_GRACE_MS = 30_000;
  /** How long a process has to confirm a cancel. */
  static final long CANCEL_TIMEOUT_MS = 5_000;
  /** A process flagged as stuck that never reports its end is dropped from the table after this. */
  static final long CANCELLED_GRACE_MS = 60_000;
  /** One maintenance request (merging hundreds of memories can take a while). */
  static final long MAINTAIN_TIMEOUT_MS = 600_000;
  static final String OPERATOR_REASON = "cancelled by an operator";

  private final SpacebotConfig config;
  private final CortexSettings settings;
  private final LongSupplier clock = System::currentTimeMillis;
  private ProcessTable table;
  private MaintenanceSchedule schedule;
  private Leadership leadership;
  private EventPublisher events;
  private final Map<String, Long> maintenanceTimers = new HashMap<>();
  private final Set<String> maintaining = new HashSet<>();
  private long tickTimer = -1;

  public CortexVerticle(SpacebotConfig config) {
    this.config = config;
    this.settings = config.cortex();
  }

  /** Whether this cortex is the one that supervises {@code agentId} (thread-safe; for tests and status). */
  public boolean leads(String agentId) {
    return leadership != null && leadership.leads(agentId);
  }

  @Override
  public Future<?> start() {
    table = new ProcessTable(clock);
    schedule = new MaintenanceSchedule(settings, clock);
    events = new EventPublisher(vertx);
    List<String> agents = config.agents().stream().map(AgentConfig::id).toList();
    leadership = new Leadership(vertx, "cortex", agents, this::gained, this::lost);
    var bus = vertx.eventBus();
    return bus.<JsonObject>consumer(Addresses.EVENTS, m -> table.apply(m.body())).completion()
        .compose(v -> adoptRunningProcesses())
        .compose(v -> Future.all(
            bus.<JsonObject>consumer(Addresses.CORTEX_PROCESSES, this::processes).completion(),
            bus.<JsonObject>consumer(Addresses.CORTEX_CANCEL, this::cancelRequest).completion()))
        .onSuccess(v -> {
          tickTimer = vertx.setPeriodic(settings.tickSeconds() * 1000L, t -> tick());
          leadership.start();
        });
  }

  /**
   * When this node joins a running cluster, the processes that started before it are only known to the
   * other nodes' tables: ask one of them (before this cortex answers the address itself).
   */
  private Future<Void> adoptRunningProcesses() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>request(Addresses.CORTEX_PROCESSES, new JsonObject(),
            new DeliveryOptions().setSendTimeout(3_000))
        .map(reply -> {
          JsonArray rows = reply.body().getJsonArray("processes", new JsonArray());
          int adopted = 0;
          for (int i = 0; i < rows.size(); i++) {
            if (table.adopt(ProcessInfo.fromJson(rows.getJsonObject(i)))) {
              adopted++;
            }
          }
          if (adopted > 0) {
            log.info("Cortex adopted {} running process(es) from another node's table", adopted);
          }
          return (Void) null;
        })
        .otherwise(err -> null); // no other cortex yet, or it did not answer: start from the events alone
  }

  @Override
  public Future<?> stop() {
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
    }
    if (leadership != null) {
      leadership.stop();
    }
    maintenanceTimers.values().forEach(vertx::cancelTimer);
    maintenanceTimers.clear();
    return Future.succeededFuture();
  }

  // ---- requests ----

  private void processes(Message<JsonObject> msg) {
    JsonObject b = msg.body() == null ? new JsonObject() : msg.body();
    List<ProcessInfo> rows = table.list(b.getString("agent_id"), b.getString("channel_id"));
    msg.reply(new JsonObject().put("processes", new JsonArray(rows.stream().map(ProcessInfo::toJson).toList())));
  }

  private void cancelRequest(Message<JsonObject> msg) {
    JsonObject b = msg.body() == null ? new JsonObject() : msg.body();
    String processId = b.getString("process_id");
    String channelId = b.getString("channel_id");
    if (processId == null || processId.isBlank()) {
      msg.fail(400, "process_id is required");
      return;
    }
    var row = table.get(processId).filter(p -> channelId == null || channelId.equals(p.channelId()));
    if (row.isEmpty()) {
      msg.fail(404, "no such process " + processId + (channelId == null ? "" : " in channel " + channelId));
      return;
    }
    String reason = b.getString("reason");
    ProcessInfo p = row.get();
    cancel(p, reason == null || reason.isBlank() ? OPERATOR_REASON : reason).onComplete(ar -> {
      if (ar.succeeded()) {
        log.info("Cancelled {} {} of agent {} in {} on request", p.kind().wire(), processId, p.agentId(), p.channelId());
        msg.reply(new JsonObject().put("cancelled", true).put("process_id", processId));
      } else if (noHandlers(ar.cause())) {
        msg.fail(404, "no such process " + processId + ": it is no longer running");
      } else {
        msg.fail(504, "process " + processId + " did not confirm the cancel: " + ar.cause().getMessage());
      }
    });
  }

  /** Sends the cancel; a process nobody listens for any more is removed from the table. */
  private Future<Void> cancel(ProcessInfo p, String reason) {
    return vertx.eventBus()
        .request(Addresses.process(p.processId()), ProcessControl.cancel(reason).toJson(),
            new DeliveryOptions().setSendTimeout(CANCEL_TIMEOUT_MS))
        .<Void>mapEmpty()
        .onFailure(err -> {
          if (noHandlers(err) && table.remove(p.processId())) {
            log.info("{} {} of agent {} in {} has no control address any more; removed from the table",
                p.kind().wire(), p.processId(), p.agentId(), p.channelId());
          }
        });
  }

  private static boolean noHandlers(Throwable err) {
    return err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
  }

  // ---- supervision (the leader only) ----

  private void tick() {
    for (ProcessInfo dropped : table.expireCancelled(CANCELLED_GRACE_MS)) {
      log.warn("{} {} of agent {} in {} did not end within {} s of being cancelled as stuck; dropped from the table",
          dropped.kind().wire(), dropped.processId(), dropped.agentId(), dropped.channelId(), CANCELLED_GRACE_MS / 1000);
    }
    if (table.isEmpty()) {
      return;
    }
    long stuckMs = settings.stuckAfterSeconds() * 1000L;
    long branchWallMs = config.branch().timeoutSeconds() * 1000L + WALL_CLOCK_GRACE_MS;
    long workerWallMs = config.worker().timeoutSeconds() * 1000L + WALL_CLOCK_GRACE_MS;
    for (String agent : leadership.led()) {
      for (ProcessTable.Overdue o : table.overdue(agent, stuckMs, branchWallMs, workerWallMs)) {
        ProcessInfo p = o.process();
        log.warn("Cancelling {} {} of agent {} in {}: {}", p.kind().wire(), p.processId(), agent, p.channelId(), o.reason());
        table.flagCancelled(p.processId());
        events.publish(new AgentEvent.ProcessStuck(agent, p.channelId(), p.processId(), p.kind().wire(), o.reason()));
        cancel(p, "cortex: " + o.reason()).onFailure(err -> {
          if (!noHandlers(err)) {
            log.warn("{} {} did not confirm the cortex's cancel: {}", p.kind().wire(), p.processId(), err.getMessage());
          }
        });
      }
    }
  }

  // ---- leadership ----

  private void gained(String agent) {
    schedule.start(agent);
    armMaintenance(agent);
  }

  private void lost(String agent) {
    schedule.stop(agent);
    Long timer = maintenanceTimers.remove(agent);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  // ---- memory maintenance (the leader only) ----

  private void armMaintenance(String agent) {
    Long old = maintenanceTimers.remove(agent);
    if (old != null) {
      vertx.cancelTimer(old);
    }
    long next = schedule.nextDueAt(agent);
    if (next < 0 || maintaining.contains(agent)) {
      return;
    }
    long delay = Math.max(1, next - clock.getAsLong());
    maintenanceTimers.put(agent, vertx.setTimer(delay, t -> {
      maintenanceTimers.remove(agent);
      runDue(agent);
    }));
  }

  private void runDue(String agent) {
    List<MaintenanceSchedule.Group> due = schedule.due(agent);
    if (due.isEmpty()) {
      armMaintenance(agent);
      return;
    }
    maintaining.add(agent);
    Future<Void> chain = Future.succeededFuture();
    for (MaintenanceSchedule.Group group : due) {
      chain = chain.compose(v -> schedule.scheduled(agent) && !schedule.paused(agent) ? run(agent, group)
          : Future.succeededFuture());
    }
    chain.onComplete(ar -> {
      maintaining.remove(agent);
      armMaintenance(agent);
    });
  }

  /** One group's passes; always succeeds (the outcome goes to the schedule and the event stream). */
  private Future<Void> run(String agent, MaintenanceSchedule.Group group) {
    JsonObject ask = new JsonObject().put("agent_id", agent).put("passes", new JsonArray(group.passes()));
    return vertx.eventBus().<JsonObject>request(Addresses.MEMORY_MAINTAIN, ask,
            new DeliveryOptions().setSendTimeout(MAINTAIN_TIMEOUT_MS))
        .transform(ar -> {
          if (ar.succeeded()) {
            JsonObject result = ar.result().body();
            schedule.succeeded(agent, group);
            log.debug("Memory maintenance ({}) for agent {}: {}", group.label(), agent, result.encode());
            events.publish(new AgentEvent.MaintenanceRan(agent, null, group.label(), true, result.encode()));
          } else {
            String why = describe(ar.cause());
            MaintenanceSchedule.FailureOutcome f = schedule.failed(agent, group);
            log.warn("Memory maintenance ({}) for agent {} failed ({} in a row): {}", group.label(), agent,
                f.failuresInRow(), why);
            events.publish(new AgentEvent.MaintenanceRan(agent, null, group.label(), false, why));
            if (f.paused()) {
              String detail = "paused for " + settings.pauseSeconds() + " s after " + f.failuresInRow()
                  + " failures in a row";
              log.warn("Memory maintenance for agent {} {}", agent, detail);
              events.publish(new AgentEvent.MaintenanceRan(agent, null, group.label(), false, detail));
            }
          }
          return Future.<Void>succeededFuture();
        });
  }

  private static String describe(Throwable err) {
    if (err instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "the memory service is not running on any node";
        case TIMEOUT -> "the memory service did not answer within " + MAINTAIN_TIMEOUT_MS / 1000 + " s";
        default -> "the memory service failed: " + re.getMessage();
      };
    }
    return String.valueOf(err.getMessage());
  }
}
