package ai.spacebot.config;

import java.util.Set;

/**
 * One generic webhook ({@code messaging.webhooks[]}): another system posts people's messages to
 * {@code POST /api/webhook/{id}/messages} with {@code secret} as its bearer token, and gets the bot's replies
 * POSTed to {@code callbackUrl} (signed with {@code callbackSecret}) or polls for them.
 *
 * @param id the webhook's name in URLs and conversation ids ({@code webhook:{id}:{conversation}})
 * @param secret the bearer secret the other system presents; null while it waits for a locked secret store
 * @param callbackUrl where replies are POSTed, or null: replies are only kept for polling
 * @param callbackSecret the HMAC-SHA256 key of the {@code X-Spacebot-Signature} header (defaults to {@code secret})
 * @param typingEvents also POST {@code {"kind":"typing"}} to the callback while a turn runs
 * @param timeoutMillis how long one callback may take before the delivery counts as failed (and is retried)
 * @param authority sender ids that may use the authority commands where no binding names any
 * @param maxAttempts delivery attempts in all for this webhook's replies, or null for {@code delivery.max_attempts}
 */
public record WebhookConfig(String id, String secret, String callbackUrl, String callbackSecret, boolean typingEvents,
    long timeoutMillis, Set<String> authority, Integer maxAttempts) {
  public WebhookConfig {
    authority = authority == null ? Set.of() : Set.copyOf(authority);
  }

  /** The key that signs callbacks. */
  public String signingKey() {
    return callbackSecret != null ? callbackSecret : secret;
  }
}
