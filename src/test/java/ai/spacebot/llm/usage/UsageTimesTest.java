package ai.spacebot.llm.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class UsageTimesTest {
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  @Test
  void datesAreDaysInTheBudgetsZoneAndAnEndDateIsIncluded() {
    assertThat(Instant.ofEpochMilli(UsageTimes.parse("from", "2025-03-01", TOKYO, false))).isEqualTo(Instant.parse("2025-02-28T15:00:00Z"));
    assertThat(Instant.ofEpochMilli(UsageTimes.parse("to", "2025-03-01", TOKYO, true))).isEqualTo(Instant.parse("2025-03-01T15:00:00Z"));
    assertThat(UsageTimes.parse("from", "2025-03-01T10:00:00Z", TOKYO, false)).isEqualTo(Instant.parse("2025-03-01T10:00:00Z").toEpochMilli());
    assertThat(Instant.ofEpochMilli(UsageTimes.parse("from", "2025-03-01T10:00", TOKYO, false))).isEqualTo(Instant.parse("2025-03-01T01:00:00Z"));
    assertThat(UsageTimes.parse("to", "1700000000000", TOKYO, true)).isEqualTo(1_700_000_000_000L);
    assertThat(UsageTimes.format(Instant.parse("2025-02-28T15:00:00Z").toEpochMilli(), TOKYO)).isEqualTo("2025-03-01T00:00:00+09:00");
  }

  @Test
  void badValuesNameTheField() {
    assertThatThrownBy(() -> UsageTimes.parse("from", "yesterday", TOKYO, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("from ").hasMessageContaining("yesterday");
    assertThatThrownBy(() -> UsageTimes.parse("to", "2025-02-30", TOKYO, true)).hasMessageStartingWith("to ");
  }
}
