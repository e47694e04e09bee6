package ai.spacebot.cortex;

import static ai.spacebot.cortex.MaintenanceSchedule.Group.ASSOCIATION;
import static ai.spacebot.cortex.MaintenanceSchedule.Group.MAINTENANCE;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.CortexSettings;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When memory maintenance runs, pauses and resumes, on an injected clock. */
class MaintenanceScheduleTest {
  // tick 30 s, stuck 900 s, maintenance every 60 s, association every 20 s, pause 300 s after 3 failures.
  private static final CortexSettings SETTINGS = new CortexSettings(30, 900, 60, 20, 3, 300);

  private final AtomicLong now = new AtomicLong(10_000_000);
  private final MaintenanceSchedule schedule = new MaintenanceSchedule(SETTINGS, now::get);

  private void advance(long seconds) {
    now.addAndGet(seconds * 1000);
  }

  @Test
  void nothingIsDueForAnAgentThisNodeDoesNotLead() {
    assertThat(schedule.due("main")).isEmpty();
    assertThat(schedule.nextDueAt("main")).isEqualTo(-1);
    assertThat(schedule.failed("main", MAINTENANCE).paused()).isFalse();
  }

  @Test
  void eachGroupIsDueEveryItsOwnInterval() {
    schedule.start("main");
    assertThat(schedule.due("main")).isEmpty();
    assertThat(schedule.nextDueAt("main")).isEqualTo(now.get() + 20_000);

    advance(20);
    assertThat(schedule.due("main")).containsExactly(ASSOCIATION);
    schedule.succeeded("main", ASSOCIATION);
    assertThat(schedule.due("main")).isEmpty();
    assertThat(schedule.nextDueAt("main")).isEqualTo(now.get() + 20_000);

    advance(20);
    assertThat(schedule.due("main")).containsExactly(ASSOCIATION);
    schedule.succeeded("main", ASSOCIATION);
    advance(19);
    assertThat(schedule.due("main")).isEmpty();
    advance(1);
    // 60 s after the start both are due, maintenance first.
    assertThat(schedule.due("main")).containsExactly(MAINTENANCE, ASSOCIATION);
    schedule.succeeded("main", MAINTENANCE);
    schedule.succeeded("main", ASSOCIATION);
    assertThat(schedule.nextDueAt("main")).isEqualTo(now.get() + 20_000);
    advance(60);
    assertThat(schedule.due("main")).containsExactly(MAINTENANCE, ASSOCIATION);
  }

  @Test
  void agentsHaveTheirOwnSchedules() {
    schedule.start("main");
    advance(10);
    schedule.start("second");
    advance(10);
    assertThat(schedule.due("main")).containsExactly(ASSOCIATION);
    assertThat(schedule.due("second")).isEmpty();
    schedule.stop("main");
    assertThat(schedule.due("main")).isEmpty();
    assertThat(schedule.scheduled("main")).isFalse();
  }

  @Test
  void threeFailuresInARowPauseEverythingForPauseSecondsThenItResumes() {
    schedule.start("main");
    advance(20);
    assertThat(schedule.due("main")).containsExactly(ASSOCIATION);
    assertThat(schedule.failed("main", ASSOCIATION)).isEqualTo(new MaintenanceSchedule.FailureOutcome(1, false, 0));
    advance(20);
    assertThat(schedule.failed("main", ASSOCIATION).failuresInRow()).isEqualTo(2);
    assertThat(schedule.paused("main")).isFalse();
    advance(20);
    assertThat(schedule.due("main")).containsExactly(MAINTENANCE, ASSOCIATION);
    MaintenanceSchedule.FailureOutcome third = schedule.failed("main", MAINTENANCE);
    long pauseEnds = now.get() + 300_000;
    assertThat(third).isEqualTo(new MaintenanceSchedule.FailureOutcome(3, true, pauseEnds));
    assertThat(schedule.paused("main")).isTrue();
    assertThat(schedule.failuresInRow("main")).isZero();

    // Nothing runs during the pause, although both intervals pass many times.
    for (int s = 0; s < 300; s += 10) {
      assertThat(schedule.due("main")).as("due %d s into the pause", s).isEmpty();
      assertThat(schedule.nextDueAt("main")).isEqualTo(pauseEnds);
      advance(10);
    }
    // Resumed: both groups run at once, and a success keeps them on their intervals.
    assertThat(now.get()).isEqualTo(pauseEnds);
    assertThat(schedule.paused("main")).isFalse();
    assertThat(schedule.due("main")).containsExactly(MAINTENANCE, ASSOCIATION);
    schedule.succeeded("main", MAINTENANCE);
    schedule.succeeded("main", ASSOCIATION);
    assertThat(schedule.due("main")).isEmpty();
    advance(20);
    assertThat(schedule.due("main")).containsExactly(ASSOCIATION);
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    schedule.start("main");
    advance(20);
    schedule.failed("main", ASSOCIATION);
    advance(20);
    schedule.failed("main", ASSOCIATION);
    advance(20);
    schedule.succeeded("main", MAINTENANCE);
    assertThat(schedule.failuresInRow("main")).isZero();
    schedule.failed("main", ASSOCIATION);
    advance(20);
    assertThat(schedule.failed("main", ASSOCIATION)).isEqualTo(new MaintenanceSchedule.FailureOutcome(2, false, 0));
    assertThat(schedule.paused("main")).isFalse();
    advance(20);
    assertThat(schedule.due("main")).containsExactly(ASSOCIATION);
    // The third in a row after the reset pauses.
    assertThat(schedule.failed("main", ASSOCIATION).paused()).isTrue();
  }

  @Test
  void aFailedRunWaitsForItsNextIntervalBeforeRunningAgain() {
    schedule.start("main");
    advance(60);
    schedule.failed("main", MAINTENANCE);
    schedule.succeeded("main", ASSOCIATION);
    assertThat(schedule.due("main")).isEmpty();
    advance(20);
    assertThat(schedule.due("main")).containsExactly(ASSOCIATION);
    advance(40);
    assertThat(schedule.due("main")).containsExactly(MAINTENANCE, ASSOCIATION);
  }

  @Test
  void groupsCarryThePassesMemoryMaintainTakes() {
    assertThat(MAINTENANCE.passes()).containsExactly("decay", "prune", "merge");
    assertThat(ASSOCIATION.passes()).containsExactly("associate");
    assertThat(MAINTENANCE.label()).isEqualTo("decay,prune,merge");
  }
}
