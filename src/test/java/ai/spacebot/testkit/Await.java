package ai.spacebot.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that something running elsewhere (a node, a verticle, a process) makes true. */
public final class Await {
  private Await() {}

  /** Returns once {@code condition} holds; an AssertionError naming {@code what} after {@code within}. */
  public static void until(BooleanSupplier condition, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
