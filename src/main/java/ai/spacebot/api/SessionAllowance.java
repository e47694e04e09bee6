package ai.spacebot.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many new web-chat sessions each client address may still open: a token bucket per address holding
 * {@code perHour} sessions, refilled evenly over the hour. The table is bounded; when it is full the address
 * seen longest ago is forgotten (it starts again with a full bucket, which costs an attacker nothing they
 * could not get from that many addresses anyway). Lives on the API verticle's event loop.
 */
final class SessionAllowance {
  static final int MAX_ADDRESSES = 10_000;
  private static final long HOUR_MS = 3_600_000L;

  private final int perHour;
  private final Map<String, double[]> buckets = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  SessionAllowance(int perHour) {
    this.perHour = perHour;
  }

  /**
   * Takes one session for {@code address}.
   *
   * @return 0 if allowed, else the seconds until the next session would be
   */
  long take(String address, long nowMs) {
    double[] b = buckets.computeIfAbsent(address, a -> new double[] {perHour, nowMs});
    double refill = (nowMs - b[1]) * perHour / (double) HOUR_MS;
    b[0] = Math.min(perHour, b[0] + refill);
    b[1] = nowMs;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - b[0]) * HOUR_MS / perHour / 1000.0);
  }
}
