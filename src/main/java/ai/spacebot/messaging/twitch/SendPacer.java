package ai.spacebot.messaging.twitch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twitch's send limit, kept by the adapter: at most {@code limit} messages in any {@code window} (20 per 30 s, 100
 * for a moderator). Twitch does not answer an excess message with an error: it silently drops it and, past the
 * limit, locks the account out of chat for 30 minutes. So every message waits its turn here, in the order it came;
 * none is dropped, and the log says when and how long messages wait. Used on the adapter's context only.
 */
final class SendPacer {
  private static final Logger log = LoggerFactory.getLogger(SendPacer.class);

  private final Vertx vertx;
  private final int limit;
  private final long windowMillis;
  private final LongSupplier clock;
  /** When the messages of the current window were let through, oldest first. */
  private final ArrayDeque<Long> sent = new ArrayDeque<>();
  private final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
  private long timer = -1;
  private long waits;

  SendPacer(Vertx vertx, int limit, long windowMillis, LongSupplier clock) {
    this.vertx = vertx;
    this.limit = limit;
    this.windowMillis = windowMillis;
    this.clock = clock;
  }

  /** Completes when one more message may be sent now. */
  Future<Void> acquire() {
    Promise<Void> turn = Promise.promise();
    waiting.addLast(turn);
    drain();
    return turn.future();
  }

  /** How many times messages had to wait for the window to move on. */
  long waits() {
    return waits;
  }

  int queued() {
    return waiting.size();
  }

  private void drain() {
    long now = clock.getAsLong();
    while (!sent.isEmpty() && sent.peekFirst() <= now - windowMillis) {
      sent.removeFirst();
    }
    while (!waiting.isEmpty() && sent.size() < limit) {
      sent.addLast(now);
      waiting.removeFirst().complete();
    }
    if (!waiting.isEmpty() && timer < 0) {
      long wait = Math.max(1, sent.peekFirst() + windowMillis - now);
      waits++;
      log.info("[twitch] Send limit reached ({} messages per {} ms): {} message(s) wait {} ms for their turn",
          limit, windowMillis, waiting.size(), wait);
      timer = vertx.setTimer(wait, id -> {
        timer = -1;
        drain();
      });
    }
  }

  /** Fails what still waits (the adapter stops). */
  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    while (!waiting.isEmpty()) {
      waiting.removeFirst().tryFail("the Twitch adapter stopped");
    }
  }
}
