package ai.spacebot.config;

/**
 * Token buckets that keep one sender, or one busy conversation, from burning the model budget
 * ({@code channel.rate_limit}). A message that finds its bucket empty is kept in the transcript without a turn.
 *
 * @param senderCapacity messages one sender may send in a burst (0: no per-sender limit)
 * @param senderPerMinute how fast a sender's bucket refills
 * @param conversationCapacity messages a conversation may take in a burst, from everyone (0: no limit)
 * @param conversationPerMinute how fast a conversation's bucket refills
 * @param authorityExempt authority users (and the operator's web chat) are never limited
 */
public record RateLimitSettings(int senderCapacity, double senderPerMinute, int conversationCapacity,
    double conversationPerMinute, boolean authorityExempt) {
  public static final RateLimitSettings NONE = new RateLimitSettings(0, 0, 0, 0, true);
}
