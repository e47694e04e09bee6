package ai.spacebot.llm.routing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.Routing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TierChoiceTest {
  private static final String TRACE = "Exception in thread \"main\" java.lang.IllegalStateException\n\tat a.B.c(B.java:1)";

  private static Routing tiers(String light, String standard, String heavy) {
    return new Routing("openai/main", null, null, null, null, Map.of(), new Routing.Tiers(light, standard, heavy));
  }

  @Test
  void offWithoutTiers() {
    assertThat(TierChoice.choose(Routing.all("openai/x"), "hi")).isEmpty();
    assertThat(TierChoice.choose(null, "hi")).isEmpty();
  }

  @Test
  void scoredTierItsModelAndAnExplanation() {
    Routing r = tiers("openai/nano", "openai/mini", "openai/big");
    TierChoice light = TierChoice.choose(r, "thanks!").orElseThrow();
    assertThat(light.tier()).isEqualTo("light");
    assertThat(light.scored()).isEqualTo("light");
    assertThat(light.model()).isEqualTo("openai/nano");
    assertThat(light.explanation()).isEqualTo("light (score -2): chit-chat -2 → openai/nano");
    TierChoice heavy = TierChoice.choose(r, List.of("hey", TRACE)).orElseThrow();
    assertThat(heavy.model()).isEqualTo("openai/big");
    assertThat(heavy.explanation()).startsWith("heavy (score ").contains("stack trace +4").endsWith("→ openai/big");
  }

  @Test
  void missingTierFallsBackToTheNearestConfiguredOneStrongerOnATie() {
    // heavy missing → standard
    assertThat(TierChoice.choose(tiers("l", "s", null), TRACE).orElseThrow().model()).isEqualTo("s");
    // heavy and standard missing → light
    TierChoice onlyLight = TierChoice.choose(tiers("l", null, null), TRACE).orElseThrow();
    assertThat(onlyLight.tier()).isEqualTo("light");
    assertThat(onlyLight.scored()).isEqualTo("heavy");
    assertThat(onlyLight.explanation()).endsWith("→ no heavy model, using light: l");
    // light missing → standard, then heavy
    assertThat(TierChoice.choose(tiers(null, "s", "h"), "lol").orElseThrow().model()).isEqualTo("s");
    assertThat(TierChoice.choose(tiers(null, null, "h"), "lol").orElseThrow().model()).isEqualTo("h");
    // standard missing: light and heavy are equally near; the stronger wins
    String standard = "Can you explain how TCP congestion control works?";
    assertThat(ComplexityScorer.tierFor(standard)).isEqualTo("standard");
    assertThat(TierChoice.choose(tiers("l", null, "h"), standard).orElseThrow().model()).isEqualTo("h");
    assertThat(TierChoice.choose(tiers("l", null, null), standard).orElseThrow().model()).isEqualTo("l");
  }
}
