package ai.spacebot.channel;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.RateLimitException;
import java.util.concurrent.TimeoutException;

/** Words a chat user can act on for a failed turn; never a stack trace. */
final class TurnErrors {
  static final String NO_MODEL = "No model is configured, so I can't answer yet. Set OPENAI_API_KEY (and optionally "
      + "OPENAI_BASE_URL), ANTHROPIC_API_KEY, OPENROUTER_API_KEY or OLLAMA_BASE_URL and restart Spacebot, or add a "
      + "provider under llm.providers in config.yaml (see the README).";

  private TurnErrors() {}

  /** What the people in the conversation read when a turn fails. */
  static String apology(String explanation) {
    return explanation.equals(NO_MODEL) ? explanation : "Sorry, I couldn't answer just now. " + explanation;
  }

  static String describe(Throwable err) {
    if (err instanceof ai.spacebot.llm.routing.ModelRouter.OverBudget over) {
      return over.getMessage();
    }
    if (err instanceof ai.spacebot.llm.resilience.AllModelsFailedException all) {
      return "None of the models answered (" + firstLine(String.join("; ", all.failures().entrySet().stream()
          .map(e -> e.getKey() + ": " + e.getValue()).toList())) + "). Please try again in a minute.";
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
      return "The model provider is rate-limiting or out of quota (429). Please try again in a minute.";
    }
    if (err instanceof TimeoutException || e instanceof TimeoutException) {
      return "The model took too long to answer (" + firstLine(e.getMessage()) + "). Please try again.";
    }
    return "The model call failed: " + firstLine(err.getMessage());
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "no details";
    }
    String line = s.strip().lines().findFirst().orElse(s);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
