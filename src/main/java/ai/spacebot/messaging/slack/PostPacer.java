package ai.spacebot.messaging.slack;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slack allows about one {@code chat.postMessage} a second per channel, with short bursts: a token bucket per
 * channel says how long the next post must wait, so fifty replies in a row go out paced instead of drawing 429s.
 * A 429 that comes anyway pushes the channel's next slot to the time Slack asked for. Used on one event loop.
 */
final class PostPacer {
  private final double perSecond;
  private final int burst;
  private final LongSupplier clock;
  private final Map<String, double[]> buckets = new HashMap<>();

  PostPacer(double perSecond, int burst, LongSupplier clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
  }

  /** Takes a slot for one post in the channel: how many ms from now it may go. */
  synchronized long reserve(String channel) {
    long now = clock.getAsLong();
    // [tokens, at]: tokens can go negative, each post further out being a reservation.
    double[] b = buckets.computeIfAbsent(channel, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - b[1]) * perSecond / 1000.0);
    b[1] = now;
    b[0] -= 1;
    return b[0] >= 0 ? 0 : (long) Math.ceil(-b[0] * 1000.0 / perSecond);
  }

  /** Slack asked this channel to wait: no slot before then. */
  synchronized void backOff(String channel, long waitMillis) {
    long now = clock.getAsLong();
    double[] b = buckets.computeIfAbsent(channel, k -> new double[] {burst, now});
    b[0] = Math.min(b[0], -waitMillis * perSecond / 1000.0);
    b[1] = now;
  }
}
