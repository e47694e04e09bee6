package ai.spacebot.cortex;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.Outcome;
import ai.spacebot.bus.ProcessInfo;
import ai.spacebot.bus.ProcessKind;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The process table is built from the lifecycle events alone, on an injected clock. */
class ProcessTableTest {
  private static final long STUCK = 10_000;
  private static final long BRANCH_WALL = 60_000;
  private static final long WORKER_WALL = 120_000;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ProcessTable table = new ProcessTable(now::get);

  private void apply(AgentEvent e) {
    table.apply(e.toJson());
  }

  private void advance(long ms) {
    now.addAndGet(ms);
  }

  @Test
  void startedEventsAddRowsWithTaskKindAndTimes() {
    apply(new AgentEvent.BranchStarted("main", "c1", "b1", "think about lunch"));
    advance(5);
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "run the tests", false));

    assertThat(table.list(null, null)).containsExactly(
        new ProcessInfo("b1", ProcessKind.BRANCH, "main", "c1", "think about lunch", null, 1_000_000, 1_000_000, false),
        new ProcessInfo("w1", ProcessKind.WORKER, "main", "c1", "run the tests", null, 1_000_005, 1_000_005, false));
    // The JSON form is what CORTEX_PROCESSES replies with.
    assertThat(table.get("w1").orElseThrow().toJson().getString("kind")).isEqualTo("worker");
  }

  @Test
  void queriesFilterByAgentAndChannel() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "a", false));
    apply(new AgentEvent.WorkerStarted("main", "c2", "w2", "b", false));
    apply(new AgentEvent.BranchStarted("other", "c1", "b3", "c"));

    assertThat(table.list("main", null)).extracting(ProcessInfo::processId).containsExactly("w1", "w2");
    assertThat(table.list(null, "c1")).extracting(ProcessInfo::processId).containsExactly("w1", "b3");
    assertThat(table.list("main", "c2")).extracting(ProcessInfo::processId).containsExactly("w2");
    assertThat(table.list("nobody", null)).isEmpty();
  }

  @Test
  void statusAndToolEventsAreProgress() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "task", false));
    advance(3_000);
    apply(new AgentEvent.WorkerStatus("main", "c1", "w1", "compiling"));
    assertThat(table.get("w1").orElseThrow().status()).isEqualTo("compiling");
    assertThat(table.get("w1").orElseThrow().lastProgressAt()).isEqualTo(1_003_000);

    advance(4_000);
    apply(new AgentEvent.ToolStarted("main", "c1", "w1", "shell", "call1", "{}"));
    assertThat(table.get("w1").orElseThrow().lastProgressAt()).isEqualTo(1_007_000);
    advance(1_000);
    apply(new AgentEvent.ToolCompleted("main", "c1", "w1", "shell", "call1", "ok", false));
    assertThat(table.get("w1").orElseThrow().lastProgressAt()).isEqualTo(1_008_000);
    assertThat(table.get("w1").orElseThrow().status()).isEqualTo("compiling");
  }

  @Test
  void eventsAboutUnknownProcessesAndOtherTypesAreIgnored() {
    assertThat(table.apply(new AgentEvent.ToolStarted("main", "c1", "channel-turn", "reply", "x", "{}").toJson())).isFalse();
    assertThat(table.apply(new AgentEvent.WorkerStatus("main", "c1", "ghost", "hi").toJson())).isFalse();
    assertThat(table.apply(new AgentEvent.TypingState("main", "c1", true).toJson())).isFalse();
    assertThat(table.apply(new JsonObject().put("type", "worker_started"))).isFalse();
    assertThat(table.isEmpty()).isTrue();
  }

  @Test
  void completedEventsRemoveRows() {
    apply(new AgentEvent.BranchStarted("main", "c1", "b1", "d"));
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "t", false));
    apply(new AgentEvent.BranchCompleted("main", "c1", "b1", Outcome.SUCCESS, "done"));
    apply(new AgentEvent.WorkerCompleted("main", "c1", "w1", Outcome.CANCELLED, "stopped", false));
    assertThat(table.isEmpty()).isTrue();
  }

  @Test
  void aWorkerWaitingForInputStaysAndIsNotStuck() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "interactive", true));
    advance(2_000);
    apply(new AgentEvent.WorkerCompleted("main", "c1", "w1", Outcome.SUCCESS, "what next?", true));
    ProcessInfo row = table.get("w1").orElseThrow();
    assertThat(row.waitingForInput()).isTrue();
    assertThat(row.lastProgressAt()).isEqualTo(1_002_000);

    advance(STUCK * 5);
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL)).isEmpty();

    // Input arrived and the worker works again: it can get stuck again from here on.
    apply(new AgentEvent.ToolStarted("main", "c1", "w1", "shell", "c", "{}"));
    assertThat(table.get("w1").orElseThrow().waitingForInput()).isFalse();
    advance(STUCK);
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL)).singleElement()
        .satisfies(o -> assertThat(o.reason()).isEqualTo("no progress for 10 s"));

    // The final completion removes it.
    apply(new AgentEvent.WorkerCompleted("main", "c1", "w1", Outcome.SUCCESS, "bye", false));
    assertThat(table.get("w1")).isEmpty();
  }

  @Test
  void noProgressForStuckAfterIsOverdueButProgressKeepsAProcessAlive() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "busy", "t", false));
    apply(new AgentEvent.WorkerStarted("main", "c1", "idle", "t", false));
    apply(new AgentEvent.WorkerStarted("other", "c9", "elsewhere", "t", false));
    for (int i = 0; i < 4; i++) {
      advance(4_000);
      apply(new AgentEvent.ToolStarted("main", "c1", "busy", "shell", "c" + i, "{}"));
    }
    // 16 s without progress for "idle", 0 s for "busy"; the other agent's process is not ours to report.
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL))
        .extracting(o -> o.process().processId()).containsExactly("idle");
    assertThat(table.overdue("other", STUCK, BRANCH_WALL, WORKER_WALL))
        .extracting(o -> o.process().processId()).containsExactly("elsewhere");
    advance(STUCK - 1);
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL))
        .extracting(o -> o.process().processId()).containsExactly("idle");
    advance(1);
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL))
        .extracting(o -> o.process().processId()).containsExactlyInAnyOrder("idle", "busy");
  }

  @Test
  void aProcessPastItsWallClockIsOverdueEvenWithProgress() {
    apply(new AgentEvent.BranchStarted("main", "c1", "b1", "d"));
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "t", false));
    for (long t = 0; t < 61_000; t += 1_000) {
      advance(1_000);
      apply(new AgentEvent.ToolStarted("main", "c1", "b1", "memory_recall", "c", "{}"));
      apply(new AgentEvent.WorkerStatus("main", "c1", "w1", "still going"));
    }
    // 61 s: the branch's 60 s are over, the worker's 120 s are not.
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL)).singleElement().satisfies(o -> {
      assertThat(o.process().processId()).isEqualTo("b1");
      assertThat(o.reason()).isEqualTo("ran 61 s, past its wall clock of 60 s");
    });
  }

  @Test
  void timeWaitingForInputDoesNotCountAgainstTheWallClock() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "t", true));
    advance(100_000);
    apply(new AgentEvent.WorkerCompleted("main", "c1", "w1", Outcome.SUCCESS, "asked", true));
    advance(600_000); // ten minutes waiting for the user
    apply(new AgentEvent.WorkerStatus("main", "c1", "w1", "got input"));
    advance(5_000);
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL)).isEmpty();
    advance(15_001);
    assertThat(table.overdue("main", 1_000_000, BRANCH_WALL, WORKER_WALL)).singleElement()
        .satisfies(o -> assertThat(o.reason()).startsWith("ran 120 s, past its wall clock"));
  }

  @Test
  void aProcessFlaggedAsStuckIsReportedOnceAndDroppedIfItNeverEnds() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "t", false));
    apply(new AgentEvent.WorkerStarted("main", "c1", "w2", "t", false));
    advance(STUCK);
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL)).hasSize(2);
    // The leader flags before it publishes; every node flags when the event arrives.
    assertThat(table.flagCancelled("w1")).isTrue();
    apply(new AgentEvent.ProcessStuck("main", "c1", "w1", "worker", "no progress"));
    apply(new AgentEvent.ProcessStuck("main", "c1", "w2", "worker", "no progress"));
    assertThat(table.overdue("main", STUCK, BRANCH_WALL, WORKER_WALL)).isEmpty();

    // w2 ends as a cancelled worker should; w1's node is gone and it never reports.
    apply(new AgentEvent.WorkerCompleted("main", "c1", "w2", Outcome.CANCELLED, "cancelled", false));
    advance(59_999);
    assertThat(table.expireCancelled(60_000)).isEmpty();
    advance(1);
    assertThat(table.expireCancelled(60_000)).extracting(ProcessInfo::processId).containsExactly("w1");
    assertThat(table.isEmpty()).isTrue();
  }

  @Test
  void rowsAdoptedFromAnotherNodeKeepTheirTimesAndDoNotReplaceKnownOnes() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "known", false));
    ProcessInfo remote = new ProcessInfo("w9", ProcessKind.WORKER, "main", "c1", "remote", "half way", 900_000, 990_000, true);
    assertThat(table.adopt(remote)).isTrue();
    assertThat(table.adopt(new ProcessInfo("w1", ProcessKind.WORKER, "main", "c1", "stale", null, 1, 1, false))).isFalse();
    assertThat(table.get("w9")).contains(remote);
    assertThat(table.get("w1").orElseThrow().task()).isEqualTo("known");
  }

  @Test
  void removeDropsARow() {
    apply(new AgentEvent.WorkerStarted("main", "c1", "w1", "t", false));
    assertThat(table.remove("w1")).isTrue();
    assertThat(table.remove("w1")).isFalse();
    assertThat(table.size()).isZero();
  }
}
