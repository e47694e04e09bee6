package ai.spacebot.llm.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.RateLimitException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");

  @Test
  void secondsAreParsed() {
    assertThat(RetryAfter.parse("2", NOW)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("1.5", NOW)).isEqualTo(Duration.ofMillis(1500));
    assertThat(RetryAfter.parse("0", NOW)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("-3", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void httpDatesAreRelativeToNow() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW)).isEqualTo(Duration.ofSeconds(60));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void absentOrUnreadableIsNull() {
    assertThat(RetryAfter.parse(null, NOW)).isNull();
    assertThat(RetryAfter.parse("", NOW)).isNull();
    assertThat(RetryAfter.parse("soon", NOW)).isNull();
    assertThat(RetryAfter.parse("NaN", NOW)).isNull();
  }

  @Test
  void headersPreferMilliseconds() {
    Map<String, String> h = Map.of("retry-after-ms", "250", "retry-after", "9");
    assertThat(RetryAfter.fromHeaders(h::get, NOW)).isEqualTo(Duration.ofMillis(250));
    assertThat(RetryAfter.fromHeaders(Map.of("retry-after", "9")::get, NOW)).isEqualTo(Duration.ofSeconds(9));
    assertThat(RetryAfter.fromHeaders(Map.<String, String>of()::get, NOW)).isNull();
  }

  @Test
  void foundInTheCauseChainOfLangChain4jsException() {
    Throwable err = new RateLimitException(new ProviderHttpException(429, "{}", Duration.ofSeconds(2)));
    assertThat(RetryAfter.of(err)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryAfter.of(new RateLimitException(new ProviderHttpException(429, "{}", null)))).isNull();
    assertThat(RetryAfter.of(new RuntimeException("x"))).isNull();
  }
}
