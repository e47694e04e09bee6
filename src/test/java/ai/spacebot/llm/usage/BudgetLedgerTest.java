package ai.spacebot.llm.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.BudgetSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private final Map<String, BudgetSettings> budgets = new HashMap<>();

  private BudgetLedger ledger(MutableClock clock) {
    return new BudgetLedger(clock, id -> budgets.getOrDefault(id, BudgetSettings.NONE));
  }

  private static Instant berlin(String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), BERLIN).toInstant();
  }

  @Test
  void warnsOnceAtWarnAtAndBlocksAtTheCapUntilTheNextMidnightInTheBudgetsZone() {
    budgets.put("main", new BudgetSettings(1.0, null, "Europe/Berlin", 0.8));
    MutableClock clock = new MutableClock(berlin("2025-03-10T22:30:00"));
    BudgetLedger ledger = ledger(clock);
    long now = clock.millis();

    assertThat(ledger.add("main", "c1", 0.5, now)).isEmpty();
    List<BudgetLedger.Effect> warn = ledger.add("main", "c1", 0.3, now);
    assertThat(warn).singleElement().isInstanceOfSatisfying(BudgetLedger.Warn.class, w -> {
      assertThat(w.scope()).isEqualTo(new BudgetLedger.Scope("main", null));
      assertThat(w.spentUsd()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(w.budgetUsd()).isEqualTo(1.0);
    });
    assertThat(ledger.add("main", "c2", 0.1, now)).as("the warning goes out once a day").isEmpty();
    assertThat(ledger.isBlocked("main", "c1")).isFalse();

    List<BudgetLedger.Effect> block = ledger.add("main", "c2", 0.1, now);
    assertThat(block).singleElement().isInstanceOfSatisfying(BudgetLedger.Block.class, b -> {
      assertThat(b.scope().isAgent()).isTrue();
      assertThat(b.announce()).isTrue();
      // 22:30 in Berlin (UTC+1) is 21:30 UTC; the block ends at Berlin's midnight, 23:00 UTC.
      assertThat(Instant.ofEpochMilli(b.untilMillis())).isEqualTo(Instant.parse("2025-03-10T23:00:00Z"));
      assertThat(b.timezone()).isEqualTo("Europe/Berlin");
    });
    assertThat(ledger.isBlocked("main", "any")).isTrue();
    assertThat(ledger.add("main", "c1", 0.2, now)).as("already blocked: nothing new").isEmpty();
    assertThat(ledger.blocked()).hasSize(1);

    // 23:30 UTC is still 2025-03-10 in UTC, but already the 11th in Berlin: the day rolled over there.
    clock.set(Instant.parse("2025-03-10T23:30:00Z"));
    assertThat(ledger.blocked()).as("an ended day blocks nothing, even before the rollover ran").isEmpty();
    assertThat(ledger.isBlocked("main", null)).isFalse();
    assertThat(ledger.rollover()).containsExactly(new BudgetLedger.Release(new BudgetLedger.Scope("main", null)));
    assertThat(ledger.isBlocked("main", "c1")).isFalse();
    assertThat(ledger.spent("main", null)).isZero();
    assertThat(ledger.rollover()).as("released once").isEmpty();
    assertThat(ledger.add("main", "c1", 0.85, clock.millis())).as("a new day warns again")
        .singleElement().isInstanceOf(BudgetLedger.Warn.class);
  }

  @Test
  void aRecordFromYesterdayDoesNotCountAgainstToday() {
    budgets.put("main", new BudgetSettings(1.0, null, "Europe/Berlin", 0.8));
    MutableClock clock = new MutableClock(berlin("2025-03-11T00:10:00"));
    BudgetLedger ledger = ledger(clock);
    assertThat(ledger.add("main", null, 5.0, berlin("2025-03-10T23:59:00").toEpochMilli())).isEmpty();
    assertThat(ledger.spent("main", null)).isZero();
  }

  @Test
  void theDayEndsAtLocalMidnightAcrossADaylightSavingChange() {
    budgets.put("main", new BudgetSettings(1.0, null, "Europe/Berlin", 0.8));
    // 2025-03-30 has 23 hours in Berlin: clocks jump from 02:00 to 03:00.
    MutableClock clock = new MutableClock(berlin("2025-03-30T01:00:00"));
    BudgetLedger ledger = ledger(clock);
    BudgetLedger.Block b = (BudgetLedger.Block) ledger.add("main", null, 2.0, clock.millis()).get(0);
    assertThat(Instant.ofEpochMilli(b.untilMillis())).isEqualTo(Instant.parse("2025-03-30T22:00:00Z"));
    clock.set(Instant.parse("2025-03-30T21:59:59Z"));
    assertThat(ledger.rollover()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(ledger.rollover()).hasSize(1);
  }

  @Test
  void eachConversationHasItsOwnCapBesideTheAgents() {
    budgets.put("main", new BudgetSettings(10.0, 1.0, "UTC", 0.8));
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    BudgetLedger ledger = ledger(clock);
    long now = clock.millis();
    assertThat(ledger.add("main", "a", 0.9, now)).singleElement()
        .isEqualTo(new BudgetLedger.Warn(new BudgetLedger.Scope("main", "a"), 0.9, 1.0));
    List<BudgetLedger.Effect> over = ledger.add("main", "a", 0.2, now);
    assertThat(over).singleElement().isInstanceOfSatisfying(BudgetLedger.Block.class,
        b -> assertThat(b.scope()).isEqualTo(new BudgetLedger.Scope("main", "a")));
    assertThat(ledger.isBlocked("main", "a")).isTrue();
    assertThat(ledger.isBlocked("main", "b")).as("another conversation may go on").isFalse();
    assertThat(ledger.isBlocked("main", null)).isFalse();
    // A jump straight past the cap blocks without a warning first.
    assertThat(ledger.add("main", "b", 3.0, now)).singleElement().isInstanceOf(BudgetLedger.Block.class);
  }

  @Test
  void raisingTheCapReleasesAtOnceAndLoweringItBlocks() {
    budgets.put("main", new BudgetSettings(1.0, null, "UTC", 0.8));
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    BudgetLedger ledger = ledger(clock);
    ledger.add("main", "c", 1.2, clock.millis());
    assertThat(ledger.isBlocked("main", "c")).isTrue();

    budgets.put("main", new BudgetSettings(5.0, null, "UTC", 0.8));
    assertThat(ledger.reevaluate("main")).containsExactly(new BudgetLedger.Release(new BudgetLedger.Scope("main", null)));
    assertThat(ledger.isBlocked("main", "c")).isFalse();
    assertThat(ledger.add("main", "c", 2.9, clock.millis())).as("4.1 of 5 warns again at the new cap")
        .singleElement().isInstanceOf(BudgetLedger.Warn.class);

    budgets.put("main", new BudgetSettings(4.0, null, "UTC", 0.8));
    assertThat(ledger.reevaluate("main")).singleElement().isInstanceOf(BudgetLedger.Block.class);
    budgets.put("main", new BudgetSettings(null, null, "UTC", 0.8));
    assertThat(ledger.reevaluate("main")).as("no cap at all releases").hasSize(1);
    assertThat(ledger.isBlocked("main", null)).isFalse();
  }

  @Test
  void loadedTotalsRestoreBlocksWithoutAnnouncingThemAgain() {
    budgets.put("main", new BudgetSettings(1.0, 0.5, "UTC", 0.8));
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    BudgetLedger ledger = ledger(clock);
    Map<String, Double> today = new HashMap<>();
    today.put("c", 0.6);
    today.put(null, 0.3);
    List<BudgetLedger.Effect> effects = ledger.load("main", today);
    assertThat(effects).singleElement().isInstanceOfSatisfying(BudgetLedger.Block.class, b -> {
      assertThat(b.scope()).isEqualTo(new BudgetLedger.Scope("main", "c"));
      assertThat(b.announce()).isFalse();
    });
    assertThat(ledger.spent("main", null)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ledger.add("main", null, 0.05, clock.millis())).as("0.95 of 1: the warning counts as given").isEmpty();
  }
}
