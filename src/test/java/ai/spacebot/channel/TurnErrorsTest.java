package ai.spacebot.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.llm.resilience.AllModelsFailedException;
import ai.spacebot.llm.resilience.Cooldowns;
import dev.langchain4j.exception.RateLimitException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnErrorsTest {
  private static final Instant NOW = Instant.parse("2025-03-04T13:04:20Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String QUOTA_BRIEF = "429 You exceeded your current quota, please check your plan and billing details.";

  private static Cooldowns.Entry cooling(String model, long seconds, boolean quota) {
    return new Cooldowns.Entry(model, NOW.plusSeconds(seconds).toEpochMilli(), quota ? "out of quota" : "rate limited", quota);
  }

  private static String describe(Map<String, String> failures, Cooldowns.Entry... cooldowns) {
    return TurnErrors.describe(new AllModelsFailedException(failures, List.of(cooldowns), null), CLOCK);
  }

  @Test
  void outOfQuotaSaysWhenTheModelIsExpectedBackAndThatAnOperatorMustAct() {
    String text = describe(Map.of("openai/gpt", QUOTA_BRIEF), cooling("openai/gpt", 3600, true));
    assertThat(text).contains("The model openai/gpt is out of quota; it should be back around 14:05 UTC (in about 60 minutes).")
        .contains("An operator needs to check the provider's billing and quota")
        .doesNotContain("in a minute");
  }

  @Test
  void aRateLimitNamesTheTimeAndAsksForAShortWait() {
    String text = describe(Map.of("openai/gpt", "429 Rate limit reached"), cooling("openai/gpt", 60, false));
    assertThat(text).endsWith("The model openai/gpt is rate-limited; it should be back around 13:06 UTC "
        + "(in about a minute). Please try again then.");
    assertThat(text).doesNotContain("operator");
  }

  @Test
  void theSoonestModelOfTheChainIsTheOneNamed() {
    Map<String, String> failures = new LinkedHashMap<>();
    failures.put("openai/gpt", QUOTA_BRIEF);
    failures.put("backup/b", "429 Rate limit reached");
    String text = describe(failures, cooling("openai/gpt", 3600, true), cooling("backup/b", 120, false));
    assertThat(text).contains("The model backup/b is rate-limited; it should be back around 13:07 UTC (in about 2 minutes).")
        .doesNotContain("operator");
  }

  @Test
  void aLongRateLimitNeedsAnOperatorToo() {
    String text = describe(Map.of("openai/gpt", "429 Rate limit reached"), cooling("openai/gpt", 7200, false));
    assertThat(text).contains("back around 15:05 UTC (in about 2 hours).").contains("An operator needs to check");
  }

  @Test
  void aCooldownIntoTheNextDayNamesTheDay() {
    String text = describe(Map.of("openai/gpt", QUOTA_BRIEF), cooling("openai/gpt", 12 * 3600, true));
    assertThat(text).contains("back around Mar 5, 01:05 UTC (in about 12 hours)");
  }

  @Test
  void withNoCooldownATransientFailureAsksToTryAgainAndAQuotaFailureAsksForAnOperator() {
    assertThat(describe(Map.of("openai/gpt", "500 down"))).endsWith("). Please try again in a minute.");
    assertThat(describe(Map.of("openai/gpt", QUOTA_BRIEF))).endsWith("The model is out of quota. " + TurnErrors.OPERATOR);
  }

  @Test
  void aBare429IsToldApartByItsBody() {
    assertThat(TurnErrors.describe(new RateLimitException("Rate limit reached"), CLOCK))
        .isEqualTo("The model provider is rate-limiting (429). Please try again in a minute.");
    assertThat(TurnErrors.describe(new RateLimitException(QUOTA_BRIEF), CLOCK))
        .contains("out of quota").contains(TurnErrors.OPERATOR);
  }

  @Test
  void timesRoundUpToTheMinute() {
    assertThat(TurnErrors.at(Instant.parse("2025-03-04T14:05:00Z").toEpochMilli(), CLOCK)).isEqualTo("14:05 UTC");
    assertThat(TurnErrors.at(Instant.parse("2025-03-04T14:05:01Z").toEpochMilli(), CLOCK)).isEqualTo("14:06 UTC");
    assertThat(TurnErrors.inAbout(1_000)).isEqualTo("in about a minute");
    assertThat(TurnErrors.inAbout(61_000)).isEqualTo("in about 2 minutes");
  }
}
