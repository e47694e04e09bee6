package ai.spacebot.messaging;

import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter, so many adapters (or nodes) that lost a platform don't retry in step. */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private int failures;

  public Backoff(long initialMillis, long maxMillis) {
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
  }

  /** The wait before the next try: the n-th failure waits between half and all of min(max, initial * 2^n). */
  public long next() {
    long ceiling = Math.min(maxMillis, initialMillis << Math.min(30, failures));
    failures++;
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
