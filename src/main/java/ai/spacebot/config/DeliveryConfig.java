package ai.spacebot.config;

/** Outbox delivery retries: attempts in all, and an exponential backoff between them. */
public record DeliveryConfig(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis) {}
