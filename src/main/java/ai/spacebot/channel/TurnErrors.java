package ai.spacebot.channel;

import ai.spacebot.llm.resilience.AllModelsFailedException;
import ai.spacebot.llm.resilience.Cooldowns;
import ai.spacebot.llm.resilience.Failure;
import ai.spacebot.llm.routing.ModelRouter;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.RateLimitException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/** Words a chat user can act on for a failed turn; never a stack trace. */
final class TurnErrors {
  static final String NO_MODEL = "No model is configured, so I can't answer yet. Set OPENAI_API_KEY (and optionally "
      + "OPENAI_BASE_URL), ANTHROPIC_API_KEY, OPENROUTER_API_KEY or OLLAMA_BASE_URL and restart Spacebot, or add a "
      + "provider under llm.providers in config.yaml (see the README).";
  /** Said when waiting will not help soon: quota and billing are fixed by a person, not by time. */
  static final String OPERATOR = "An operator needs to check the provider's billing and quota, or configure a "
      + "fallback model.";
  /** A cooldown at least this long is not "try again shortly": someone has to look. */
  static final Duration LONG_COOLDOWN = Duration.ofMinutes(15);

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ROOT);
  private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("MMM d, HH:mm 'UTC'", Locale.ENGLISH);

  private TurnErrors() {}

  /** What the people in the conversation read when a turn fails. */
  static String apology(String explanation) {
    return explanation.equals(NO_MODEL) ? explanation : "Sorry, I couldn't answer just now. " + explanation;
  }

  static String describe(Throwable err) {
    return describe(err, Clock.systemUTC());
  }

  static String describe(Throwable err, Clock clock) {
    if (err instanceof ModelRouter.OverBudget over) {
      return over.getMessage();
    }
    if (err instanceof AllModelsFailedException all) {
      return "None of the models answered (" + firstLine(String.join("; ", all.failures().entrySet().stream()
          .map(e -> e.getKey() + ": " + e.getValue()).toList())) + "). " + whenBack(all, clock);
    }
    Throwable e = err;
    while (e.getCause() != null && e.getCause() != e && !(e instanceof AuthenticationException)
        && !(e instanceof RateLimitException) && !(e instanceof TimeoutException)) {
      e = e.getCause();
    }
    if (err instanceof AuthenticationException || e instanceof AuthenticationException) {
      return "The model provider rejected the API key (401). Check the key in your configuration.";
    }
    if (err instanceof RateLimitException || e instanceof RateLimitException) {
      return Failure.isQuota(err) ? "The model provider says the account is out of quota (429). " + OPERATOR
          : "The model provider is rate-limiting (429). Please try again in a minute.";
    }
    if (err instanceof TimeoutException || e instanceof TimeoutException) {
      return "The model took too long to answer (" + firstLine(e.getMessage()) + "). Please try again.";
    }
    return "The model call failed: " + firstLine(err.getMessage());
  }

  /**
   * When to try again: the time the first cooling model of the chain is expected back, and an operator's
   * part when that is far off (or unknown, for a quota failure with no cooldown to go by).
   */
  private static String whenBack(AllModelsFailedException all, Clock clock) {
    Optional<Cooldowns.Entry> soonest = all.cooldowns().stream().min(Comparator.comparingLong(Cooldowns.Entry::untilMillis));
    if (soonest.isEmpty()) {
      return Failure.isQuota(all) ? "The model is out of quota. " + OPERATOR : "Please try again in a minute.";
    }
    Cooldowns.Entry e = soonest.get();
    long left = Math.max(0, e.untilMillis() - clock.millis());
    String back = "it should be back around " + at(e.untilMillis(), clock) + " (" + inAbout(left) + ").";
    boolean longWait = left >= LONG_COOLDOWN.toMillis();
    if (e.quota()) {
      return "The model " + e.model() + " is out of quota; " + back + (longWait ? " " + OPERATOR : "");
    }
    return "The model " + e.model() + " is rate-limited; " + back + (longWait ? " " + OPERATOR : " Please try again then.");
  }

  /** The wall-clock time, rounded up to the minute so that it is never before the model is back. */
  static String at(long epochMillis, Clock clock) {
    Instant when = Instant.ofEpochMilli(epochMillis).plusMillis(59_999).truncatedTo(ChronoUnit.MINUTES);
    ZonedDateTime utc = when.atZone(ZoneOffset.UTC);
    boolean today = utc.toLocalDate().equals(clock.instant().atZone(ZoneOffset.UTC).toLocalDate());
    return (today ? TIME : DAY_AND_TIME).format(utc);
  }

  static String inAbout(long millis) {
    long minutes = Math.max(1, (millis + 59_999) / 60_000);
    if (minutes == 1) {
      return "in about a minute";
    }
    if (minutes < 90) {
      return "in about " + minutes + " minutes";
    }
    return "in about " + Math.round(minutes / 60.0) + " hours";
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "no details";
    }
    String line = s.strip().lines().findFirst().orElse(s);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
