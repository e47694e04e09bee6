package ai.spacebot.cortex;

import ai.spacebot.bus.ProcessInfo;
import ai.spacebot.bus.ProcessKind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The live branches and workers, built only from the lifecycle events on the bus (branches and workers
 * announce themselves nowhere else). Pure Java and single-threaded: the cortex touches it from its event
 * loop only. Times are epoch milliseconds from the injected clock.
 *
 * <ul>
 *   <li>{@code branch_started} / {@code worker_started} add a row (task = description or task);</li>
 *   <li>{@code worker_status}, and {@code tool_started} / {@code tool_completed} naming a process in the table,
 *       are progress (a status also sets the row's status);</li>
 *   <li>{@code worker_completed} with {@code waiting_for_input=true} keeps the row as waiting: an interactive
 *       worker waiting for {@code route} is not stuck, and the time it waits does not count against its wall
 *       clock; its next progress ends the wait;</li>
 *   <li>any other {@code branch_completed} / {@code worker_completed} removes the row;</li>
 *   <li>{@code process_stuck} marks the row as being cancelled: it is not reported as overdue again, and if
 *       it does not end within the grace given to {@link #expireCancelled} it is dropped (a process whose
 *       node died never reports its end). Every node sees the same events, so every node's table agrees.</li>
 * </ul>
 */
public final class ProcessTable {
  /** A process the supervisor should cancel, and why. */
  public record Overdue(ProcessInfo process, String reason) {}

  private static final class Row {
    final String processId;
    final ProcessKind kind;
    final String agentId;
    final String channelId;
    final String task;
    final long startedAt;
    String status;
    long lastProgressAt;
    boolean waitingForInput;
    long waitingSince;
    long waitedMs;
    long cancelFlaggedAt = -1;

    Row(String processId, ProcessKind kind, String agentId, String channelId, String task, String status, long startedAt,
        long lastProgressAt) {
      this.processId = processId;
      this.kind = kind;
      this.agentId = agentId;
      this.channelId = channelId;
      this.task = task;
      this.status = status;
      this.startedAt = startedAt;
      this.lastProgressAt = lastProgressAt;
    }

    ProcessInfo info() {
      return new ProcessInfo(processId, kind, agentId, channelId, task, status, startedAt, lastProgressAt, waitingForInput);
    }

    void progress(long now) {
      lastProgressAt = now;
      if (waitingForInput) {
        waitingForInput = false;
        waitedMs += Math.max(0, now - waitingSince);
      }
    }

    /** Wall-clock time the process has been running, without the time it waited for input. */
    long runningMs(long now) {
      long waitingNow = waitingForInput ? Math.max(0, now - waitingSince) : 0;
      return now - startedAt - waitedMs - waitingNow;
    }
  }

  private final LongSupplier clock;
  private final Map<String, Row> rows = new LinkedHashMap<>();

  public ProcessTable(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Applies one event from {@code Addresses.EVENTS}; events of other types, or about processes not in the
   * table, are ignored.
   *
   * @return true if the table changed
   */
  public boolean apply(JsonObject event) {
    String type = event.getString("type");
    String processId = event.getString("process_id");
    if (type == null || processId == null) {
      return false;
    }
    long now = clock.getAsLong();
    switch (type) {
      case "branch_started" -> {
        return add(processId, ProcessKind.BRANCH, event, event.getString("description"), now);
      }
      case "worker_started" -> {
        return add(processId, ProcessKind.WORKER, event, event.getString("task"), now);
      }
      case "worker_status" -> {
        Row row = rows.get(processId);
        if (row == null) {
          return false;
        }
        row.status = event.getString("status");
        row.progress(now);
        return true;
      }
      case "tool_started", "tool_completed" -> {
        Row row = rows.get(processId);
        if (row == null) {
          return false;
        }
        row.progress(now);
        return true;
      }
      case "worker_completed" -> {
        Row row = rows.get(processId);
        if (row != null && event.getBoolean("waiting_for_input", false)) {
          row.progress(now);
          row.waitingForInput = true;
          row.waitingSince = now;
          return true;
        }
        return rows.remove(processId) != null;
      }
      case "branch_completed" -> {
        return rows.remove(processId) != null;
      }
      case "process_stuck" -> {
        return flagCancelled(processId);
      }
      default -> {
        return false;
      }
    }
  }

  private boolean add(String processId, ProcessKind kind, JsonObject event, String task, long now) {
    if (rows.containsKey(processId)) {
      return false;
    }
    rows.put(processId, new Row(processId, kind, event.getString("agent_id"), event.getString("channel_id"), task, null,
        now, now));
    return true;
  }

  /**
   * Adds a row learnt from another node's table (when this node joins a running cluster); a process already
   * known here is kept as it is.
   */
  public boolean adopt(ProcessInfo info) {
    if (info.processId() == null || info.kind() == null || rows.containsKey(info.processId())) {
      return false;
    }
    Row row = new Row(info.processId(), info.kind(), info.agentId(), info.channelId(), info.task(), info.status(),
        info.startedAt(), info.lastProgressAt());
    if (info.waitingForInput()) {
      row.waitingForInput = true;
      row.waitingSince = info.lastProgressAt();
    }
    rows.put(info.processId(), row);
    return true;
  }

  /** Marks a process as being cancelled by the supervisor (the first mark counts). */
  public boolean flagCancelled(String processId) {
    Row row = rows.get(processId);
    if (row == null || row.cancelFlaggedAt >= 0) {
      return false;
    }
    row.cancelFlaggedAt = clock.getAsLong();
    return true;
  }

  /** Drops processes marked as being cancelled more than {@code graceMs} ago that never reported their end. */
  public List<ProcessInfo> expireCancelled(long graceMs) {
    long now = clock.getAsLong();
    List<ProcessInfo> dropped = new ArrayList<>();
    rows.values().removeIf(r -> {
      if (r.cancelFlaggedAt >= 0 && now - r.cancelFlaggedAt >= graceMs) {
        dropped.add(r.info());
        return true;
      }
      return false;
    });
    return dropped;
  }

  public boolean remove(String processId) {
    return rows.remove(processId) != null;
  }

  public Optional<ProcessInfo> get(String processId) {
    Row row = rows.get(processId);
    return row == null ? Optional.empty() : Optional.of(row.info());
  }

  /** The processes of an agent and/or channel (null = any), oldest first. */
  public List<ProcessInfo> list(String agentId, String channelId) {
    return rows.values().stream()
        .filter(r -> agentId == null || agentId.equals(r.agentId))
        .filter(r -> channelId == null || channelId.equals(r.channelId))
        .map(Row::info)
        .sorted(Comparator.comparingLong(ProcessInfo::startedAt)) // stable: same start time keeps arrival order
        .toList();
  }

  public int size() {
    return rows.size();
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /**
   * The agent's processes to cancel now: no progress for {@code stuckAfterMs} (unless waiting for input), or
   * running longer than their kind's wall clock (time spent waiting for input not counted). Processes already
   * being cancelled are not reported again.
   */
  public List<Overdue> overdue(String agentId, long stuckAfterMs, long branchWallMs, long workerWallMs) {
    long now = clock.getAsLong();
    List<Overdue> out = new ArrayList<>();
    for (Row r : rows.values()) {
      if (r.cancelFlaggedAt >= 0 || !agentId.equals(r.agentId)) {
        continue;
      }
      long wall = r.kind == ProcessKind.BRANCH ? branchWallMs : workerWallMs;
      long running = r.runningMs(now);
      if (running > wall) {
        out.add(new Overdue(r.info(), "ran " + running / 1000 + " s, past its wall clock of " + wall / 1000 + " s"));
      } else if (!r.waitingForInput && now - r.lastProgressAt >= stuckAfterMs) {
        out.add(new Overdue(r.info(), "no progress for " + (now - r.lastProgressAt) / 1000 + " s"));
      }
    }
    return out;
  }
}
