package ai.spacebot.llm.resilience;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Every model of a chain failed or was skipped; the message names each one's last failure. */
public final class AllModelsFailedException extends RuntimeException {
  private final Map<String, String> failures;
  private final List<Cooldowns.Entry> cooldowns;

  /** @param cooldowns the chain's models that were cooling down when the call gave up */
  public AllModelsFailedException(Map<String, String> failures, List<Cooldowns.Entry> cooldowns, Throwable lastError) {
    super("all models failed: " + failures.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining("; ")), lastError);
    this.failures = new LinkedHashMap<>(failures);
    this.cooldowns = List.copyOf(cooldowns);
  }

  /** The chain's models that were cooling down when the call gave up, in chain order. */
  public List<Cooldowns.Entry> cooldowns() {
    return cooldowns;
  }

  /** Model id → its last failure, in chain order. */
  public Map<String, String> failures() {
    return failures;
  }
}
