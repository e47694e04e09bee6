package ai.spacebot.config;

/**
 * How a failing model call is retried, and when a model is left alone for a while.
 *
 * @param maxAttempts calls of one model per request, the first included (3)
 * @param initialBackoffMs wait before the first retry (500); doubled for each further retry
 * @param maxRetryAfterSeconds a provider's Retry-After is honoured up to this; longer means "fall back now"
 * @param cooldownSeconds a model whose 429s outlive the retries is skipped this long, by every process (60)
 * @param quotaCooldownSeconds a model out of quota or credit is skipped this long (3600)
 * @param circuitFailureRate per cent of failed calls in the window that opens the model's circuit breaker
 * @param circuitWindow calls the failure rate is measured over
 * @param circuitOpenSeconds how long an open circuit skips the model before trying it again
 */
public record ResilienceSettings(int maxAttempts, int initialBackoffMs, int maxRetryAfterSeconds, int cooldownSeconds,
    int quotaCooldownSeconds, int circuitFailureRate, int circuitWindow, int circuitOpenSeconds) {
  public static final ResilienceSettings DEFAULTS = new ResilienceSettings(3, 500, 30, 60, 3600, 50, 10, 30);
}
