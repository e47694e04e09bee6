package ai.spacebot.llm.context;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.CompactionDecision;
import ai.spacebot.config.CompactionSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompactionPolicyTest {
  static final CompactionSettings DEFAULTS = new CompactionSettings(128_000, 0.80, 0.30, 0.85, 0.50, 0.95, 0.50, 0.15, 4);

  @ParameterizedTest(name = "{0} of the window -> {1} {2} ({3})")
  @CsvSource({
      "0.79, none, 0.0, none",
      "0.80, summarize, 0.30, background",
      "0.84, summarize, 0.30, background",
      "0.85, summarize, 0.50, aggressive",
      "0.94, summarize, 0.50, aggressive",
      "0.95, emergency, 0.50, emergency",
      "1.2, emergency, 0.50, emergency",
  })
  void thresholds(double share, String action, double fraction, String level) {
    long tokens = Math.round(share * DEFAULTS.contextWindow());
    CompactionDecision d = CompactionPolicy.decide(tokens, DEFAULTS);
    assertThat(d.action()).isEqualTo(action);
    assertThat(d.fraction()).isEqualTo(fraction);
    assertThat(d.usage()).isCloseTo(share, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(CompactionPolicy.level(d, DEFAULTS)).isEqualTo(level);
    assertThat(CompactionPolicy.level(d.usage(), DEFAULTS)).isEqualTo(level);
  }
}
