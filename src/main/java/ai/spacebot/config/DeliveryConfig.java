package ai.spacebot.config;

import java.util.Map;

/**
 * Outbox delivery retries: attempts in all, and an exponential backoff between them.
 *
 * @param maxAttemptsByConversationPrefix attempts for the conversations whose id starts with a key (a generic
 *     webhook's {@code max_attempts}: {@code webhook:{id}:}), instead of {@code maxAttempts}
 */
public record DeliveryConfig(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis,
    Map<String, Integer> maxAttemptsByConversationPrefix) {

  public DeliveryConfig {
    maxAttemptsByConversationPrefix = maxAttemptsByConversationPrefix == null ? Map.of()
        : Map.copyOf(maxAttemptsByConversationPrefix);
  }

  public DeliveryConfig(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis) {
    this(maxAttempts, initialBackoffMillis, maxBackoffMillis, Map.of());
  }

  /** How many attempts a delivery to this conversation gets in all. */
  public int maxAttemptsFor(String conversationId) {
    if (conversationId != null) {
      for (Map.Entry<String, Integer> e : maxAttemptsByConversationPrefix.entrySet()) {
        if (conversationId.startsWith(e.getKey())) {
          return e.getValue();
        }
      }
    }
    return maxAttempts;
  }
}
