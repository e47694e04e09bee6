package ai.spacebot.channel;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token buckets by key (a sender, a conversation), in this process's memory: each key holds up to
 * {@code capacity} messages and refills {@code perMinute} a minute. A key whose bucket is empty is in an over-limit
 * streak until a message gets through again; the streak's first refusal is the one that gets a notice.
 * Touched only on one event loop.
 */
final class RateLimiter {
  /** What happened to one message. */
  enum Verdict { PASS, LIMITED_FIRST, LIMITED_AGAIN }

  private static final int MAX_KEYS = 10_000;
  private final int capacity;
  private final double perMilli;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long at;
    boolean streak;
  }

  RateLimiter(int capacity, double perMinute) {
    this.capacity = capacity;
    this.perMilli = perMinute / 60_000.0;
  }

  boolean enabled() {
    return capacity > 0;
  }

  /** Whether {@code key} has a token now, without taking it. */
  boolean hasToken(String key, long now) {
    return !enabled() || refill(key, now).tokens >= 1;
  }

  /** Takes a token for {@code key} (the caller checked {@link #hasToken}); ends its streak. */
  void take(String key, long now) {
    if (enabled()) {
      Bucket b = refill(key, now);
      b.tokens = Math.max(0, b.tokens - 1);
      b.streak = false;
    }
  }

  /** Records a refusal: the first of a streak, or a later one. */
  Verdict refuse(String key, long now) {
    Bucket b = refill(key, now);
    if (b.streak) {
      return Verdict.LIMITED_AGAIN;
    }
    b.streak = true;
    return Verdict.LIMITED_FIRST;
  }

  private Bucket refill(String key, long now) {
    Bucket b = buckets.get(key);
    if (b == null) {
      if (buckets.size() >= MAX_KEYS) {
        evictFull(now);
      }
      b = new Bucket();
      b.tokens = capacity;
      b.at = now;
      buckets.put(key, b);
      return b;
    }
    b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perMilli);
    b.at = now;
    return b;
  }

  /** Forgets keys whose bucket has refilled (they would start full anyway), so memory stays bounded. */
  private void evictFull(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      if (!b.streak && b.tokens + (now - b.at) * perMilli >= capacity) {
        it.remove();
      }
    }
  }
}
