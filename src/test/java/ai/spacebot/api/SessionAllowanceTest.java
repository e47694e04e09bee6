package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** New web-chat sessions per client address: a bucket per address, refilled evenly over the hour. */
class SessionAllowanceTest {
  @Test
  void anAddressGetsItsHourlyCountThenWaitsForTheRefill() {
    SessionAllowance allowance = new SessionAllowance(6); // one more every 10 minutes
    for (int i = 0; i < 6; i++) {
      assertThat(allowance.take("10.0.0.1", 0)).isZero();
    }
    assertThat(allowance.take("10.0.0.1", 0)).isEqualTo(600);
    assertThat(allowance.take("10.0.0.1", 300_000)).isEqualTo(300);
    assertThat(allowance.take("10.0.0.1", 600_000)).isZero();
    assertThat(allowance.take("10.0.0.1", 600_000)).isEqualTo(600);
    // Another address is not affected.
    assertThat(allowance.take("10.0.0.2", 600_000)).isZero();
  }

  @Test
  void theTableIsBounded() {
    SessionAllowance allowance = new SessionAllowance(1);
    assertThat(allowance.take("first", 0)).isZero();
    assertThat(allowance.take("first", 0)).isPositive();
    for (int i = 0; i < SessionAllowance.MAX_ADDRESSES; i++) {
      allowance.take("a" + i, 0);
    }
    // The address seen longest ago was forgotten: it starts again with a full bucket.
    assertThat(allowance.take("first", 0)).isZero();
  }
}
