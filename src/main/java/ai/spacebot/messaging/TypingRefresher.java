package ai.spacebot.messaging;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps "typing…" visible for each conversation with a turn running: platforms drop the indicator after a few
 * seconds (Discord 10 s, Telegram 5 s), so it is re-sent every interval until the turn ends. A turn whose end
 * never arrives (its node died) stops after {@link #MAX_MILLIS}. Touched only on the adapter's event loop.
 */
final class TypingRefresher {
  static final long MAX_MILLIS = 120_000;

  private final Vertx vertx;
  private final long intervalMillis;
  private final Consumer<String> send;
  private final Map<String, long[]> timers = new HashMap<>();

  /** @param send shows typing once in a conversation (the adapter's platform call; must not block) */
  TypingRefresher(Vertx vertx, long intervalMillis, Consumer<String> send) {
    this.vertx = vertx;
    this.intervalMillis = intervalMillis;
    this.send = send;
  }

  void on(String conversationId) {
    if (intervalMillis <= 0 || timers.containsKey(conversationId)) {
      return;
    }
    long started = System.currentTimeMillis();
    send.accept(conversationId);
    long timer = vertx.setPeriodic(intervalMillis, id -> {
      if (System.currentTimeMillis() - started > MAX_MILLIS) {
        off(conversationId);
      } else {
        send.accept(conversationId);
      }
    });
    timers.put(conversationId, new long[] {timer});
  }

  void off(String conversationId) {
    long[] timer = timers.remove(conversationId);
    if (timer != null) {
      vertx.cancelTimer(timer[0]);
    }
  }

  /** A reply went out: platforms clear typing themselves when the bot posts; keep it off until the next turn. */
  void delivered(String conversationId) {
    off(conversationId);
  }

  void stopAll() {
    timers.values().forEach(t -> vertx.cancelTimer(t[0]));
    timers.clear();
  }

  int active() {
    return timers.size();
  }
}
