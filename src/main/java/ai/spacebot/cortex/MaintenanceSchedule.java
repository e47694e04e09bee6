package ai.spacebot.cortex;

import ai.spacebot.config.CortexSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * When memory maintenance is due, per agent: decay + prune + merge every
 * {@code maintenanceIntervalSeconds}, associate every {@code associationIntervalSeconds}. After
 * {@code failureLimit} failed runs in a row (either group) nothing runs for {@code pauseSeconds}; then both
 * groups are due again at once. A success resets the count. The first runs are one interval after
 * {@link #start}. Pure logic over an injected clock (epoch milliseconds); the caller runs the passes.
 */
public final class MaintenanceSchedule {
  /** The two pass groups, with the passes {@code MEMORY_MAINTAIN} takes. */
  public enum Group {
    MAINTENANCE(List.of("decay", "prune", "merge")),
    ASSOCIATION(List.of("associate"));

    private final List<String> passes;

    Group(List<String> passes) {
      this.passes = passes;
    }

    public List<String> passes() {
      return passes;
    }

    /** The passes as one label, e.g. "decay,prune,merge". */
    public String label() {
      return String.join(",", passes);
    }
  }

  /** What a recorded failure led to. */
  public record FailureOutcome(int failuresInRow, boolean paused, long pausedUntil) {}

  private static final class State {
    long nextMaintenance;
    long nextAssociation;
    int failuresInRow;
    long pausedUntil;
  }

  private final long maintenanceMs;
  private final long associationMs;
  private final int failureLimit;
  private final long pauseMs;
  private final LongSupplier clock;
  private final Map<String, State> agents = new HashMap<>();

  public MaintenanceSchedule(CortexSettings settings, LongSupplier clock) {
    this.maintenanceMs = settings.maintenanceIntervalSeconds() * 1000L;
    this.associationMs = settings.associationIntervalSeconds() * 1000L;
    this.failureLimit = settings.failureLimit();
    this.pauseMs = settings.pauseSeconds() * 1000L;
    this.clock = clock;
  }

  /** Starts (or restarts) the schedule of an agent: its first runs are one interval from now. */
  public void start(String agentId) {
    long now = clock.getAsLong();
    State s = new State();
    s.nextMaintenance = now + maintenanceMs;
    s.nextAssociation = now + associationMs;
    agents.put(agentId, s);
  }

  /** Stops an agent's schedule (this node no longer leads it). */
  public void stop(String agentId) {
    agents.remove(agentId);
  }

  public boolean scheduled(String agentId) {
    return agents.containsKey(agentId);
  }

  /** The groups due now, maintenance first; none while paused or when the agent is not scheduled. */
  public List<Group> due(String agentId) {
    State s = agents.get(agentId);
    long now = clock.getAsLong();
    List<Group> out = new ArrayList<>(2);
    if (s == null || now < s.pausedUntil) {
      return out;
    }
    if (now >= s.nextMaintenance) {
      out.add(Group.MAINTENANCE);
    }
    if (now >= s.nextAssociation) {
      out.add(Group.ASSOCIATION);
    }
    return out;
  }

  /** When something is next due for the agent (the end of a pause counts), or -1 when not scheduled. */
  public long nextDueAt(String agentId) {
    State s = agents.get(agentId);
    if (s == null) {
      return -1;
    }
    return Math.max(s.pausedUntil, Math.min(s.nextMaintenance, s.nextAssociation));
  }

  public boolean paused(String agentId) {
    State s = agents.get(agentId);
    return s != null && clock.getAsLong() < s.pausedUntil;
  }

  public int failuresInRow(String agentId) {
    State s = agents.get(agentId);
    return s == null ? 0 : s.failuresInRow;
  }

  public void succeeded(String agentId, Group group) {
    State s = agents.get(agentId);
    if (s == null) {
      return;
    }
    s.failuresInRow = 0;
    reschedule(s, group);
  }

  /** Records a failed run; the {@code failureLimit}-th in a row starts a pause (and resets the count). */
  public FailureOutcome failed(String agentId, Group group) {
    State s = agents.get(agentId);
    if (s == null) {
      return new FailureOutcome(0, false, 0);
    }
    reschedule(s, group);
    s.failuresInRow++;
    int failures = s.failuresInRow;
    if (failures >= failureLimit) {
      s.pausedUntil = clock.getAsLong() + pauseMs;
      s.failuresInRow = 0;
      // After the pause both groups are due again straight away.
      s.nextMaintenance = Math.min(s.nextMaintenance, s.pausedUntil);
      s.nextAssociation = Math.min(s.nextAssociation, s.pausedUntil);
      return new FailureOutcome(failures, true, s.pausedUntil);
    }
    return new FailureOutcome(failures, false, 0);
  }

  private void reschedule(State s, Group group) {
    long now = clock.getAsLong();
    if (group == Group.MAINTENANCE) {
      s.nextMaintenance = now + maintenanceMs;
    } else {
      s.nextAssociation = now + associationMs;
    }
  }
}
