package ai.spacebot.llm.resilience;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Every model of a chain failed or was skipped; the message names each one's last failure. */
public final class AllModelsFailedException extends RuntimeException {
  private final Map<String, String> failures;

  public AllModelsFailedException(Map<String, String> failures, Throwable lastError) {
    super("all models failed: " + failures.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining("; ")), lastError);
    this.failures = new LinkedHashMap<>(failures);
  }

  /** Model id → its last failure, in chain order. */
  public Map<String, String> failures() {
    return failures;
  }
}
