package ai.spacebot.llm.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetGateTest {
  @Test
  void blocksFromAnnouncementsExplainsWhyAndExpiresOnItsOwn() {
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T20:00:00Z"));
    BudgetGate gate = new BudgetGate(clock);
    long midnight = Instant.parse("2025-06-02T00:00:00Z").toEpochMilli();
    assertThat(gate.blocked("main", "c1")).isFalse();
    assertThat(gate.reason("main", "c1")).isEmpty();

    gate.apply(new JsonObject().put("agent_id", "main").put("conversation_id", "c1").put("blocked", true).put("until", midnight)
        .put("budget_usd", 0.5).put("timezone", "UTC"));
    assertThat(gate.blocked("main", "c1")).isTrue();
    assertThat(gate.blocked("main", "c2")).isFalse();
    assertThat(gate.reason("main", "c1")).contains(
        "I've reached today's spending limit for this conversation (USD 0.50); I can answer again after 00:00 UTC.");

    gate.apply(new JsonObject().put("agent_id", "main").put("blocked", true).put("until", midnight).put("budget_usd", 5)
        .put("timezone", "UTC"));
    assertThat(gate.blocked("main", "c2")).isTrue();
    assertThat(gate.reason("main", "c1")).contains(
        "I've reached today's spending limit for this assistant (USD 5.00); I can answer again after 00:00 UTC.");

    gate.apply(new JsonObject().put("agent_id", "main").put("blocked", false));
    assertThat(gate.blocked("main", "c2")).isFalse();
    assertThat(gate.blocked("main", "c1")).isTrue();

    clock.advance(Duration.ofHours(4));
    assertThat(gate.blocked("main", "c1")).as("expired at until without a release").isFalse();
  }

  @Test
  void theStateReplacesWhatWasKnown() {
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T20:00:00Z"));
    BudgetGate gate = new BudgetGate(clock);
    gate.apply(new JsonObject().put("agent_id", "old").put("blocked", true).put("until", Long.MAX_VALUE));
    gate.replaceAll(new JsonArray().add(new JsonObject().put("agent_id", "main").put("until", Long.MAX_VALUE)
        .put("budget_usd", 1.0).put("timezone", "Europe/Berlin")));
    assertThat(gate.blocked("old", null)).isFalse();
    assertThat(gate.blocked("main", null)).isTrue();
  }
}
