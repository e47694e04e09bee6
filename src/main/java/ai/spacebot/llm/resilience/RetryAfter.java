package ai.spacebot.llm.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/** Parses a provider's {@code Retry-After} (delta seconds or an HTTP date) and finds it on an error. */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * {@code Retry-After} as seconds ({@code "2"}, also {@code "1.5"}) or an HTTP date
   * ({@code "Wed, 21 Oct 2015 07:28:00 GMT"}, relative to {@code now}); null when absent or unreadable.
   * A date in the past gives zero.
   */
  public static Duration parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
        return null;
      }
      return Duration.ofMillis(Math.max(0, Math.round(seconds * 1000)));
    } catch (NumberFormatException notSeconds) {
      // an HTTP date then
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The wait named by a response's headers: {@code retry-after-ms} (sent by some OpenAI-compatible
   * servers) first, then {@code Retry-After}. {@code header} looks a name up case-insensitively.
   */
  public static Duration fromHeaders(Function<String, String> header, Instant now) {
    String ms = header.apply("retry-after-ms");
    if (ms != null) {
      try {
        return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(ms.trim()))));
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    return parse(header.apply("retry-after"), now);
  }

  /** The wait a {@link ProviderHttpException} in the cause chain carries, or null. */
  public static Duration of(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof ProviderHttpException p && p.retryAfter() != null) {
        return p.retryAfter();
      }
    }
    return null;
  }
}
