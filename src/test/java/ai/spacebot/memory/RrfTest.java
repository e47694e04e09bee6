package ai.spacebot.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RrfTest {
  @Test
  void firstInTwoListsAndAbsentFromTheThirdScoresTwoOverSixtyOne() {
    List<Rrf.Fused> fused = Rrf.fuse(List.of(List.of("a", "b"), List.of("a", "c"), List.of()));
    assertThat(fused.get(0).id()).isEqualTo("a");
    assertThat(fused.get(0).score()).isCloseTo(2.0 / 61, within(1e-12));
    assertThat(fused.get(1).score()).isCloseTo(1.0 / 62, within(1e-12));
  }

  @Test
  void defaultImportancesFollowTheType() {
    assertThat(MemoryType.DECISION.defaultImportance()).isEqualTo(0.8);
    assertThat(MemoryType.FACT.defaultImportance()).isEqualTo(0.6);
    assertThat(MemoryType.IDENTITY.defaultImportance()).isEqualTo(1.0);
    assertThat(MemoryType.parse("observation")).isEqualTo(MemoryType.OBSERVATION);
  }
}
