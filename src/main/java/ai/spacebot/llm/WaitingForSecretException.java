package ai.spacebot.llm;

/**
 * A model call refused because the provider's key is a {@code secret:} value and the secret store is locked. Not
 * retried and not held against the model (its circuit breaker): it is the store's state, not the provider's health.
 */
public final class WaitingForSecretException extends RuntimeException {
  public WaitingForSecretException(String message) {
    super(message, null, false, false);
  }
}
