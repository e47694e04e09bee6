package ai.spacebot.messaging.slack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Socket Mode envelopes on the worker pool, one channel's in the order they came and different channels' side
 * by side. Bolt's handlers block until a message is stored; on the SDK's single processor thread that would make
 * every channel wait for every other.
 */
final class SocketLanes {
  private static final Pattern CHANNEL = Pattern.compile("\"channel(?:_id)?\"\\s*:\\s*(?:\\{\\s*\"id\"\\s*:\\s*)?\"([A-Z0-9]+)\"");

  private final Vertx vertx;
  private final Map<String, Future<Void>> tails = new HashMap<>();

  SocketLanes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The channel an envelope is about (events, clicks and commands name it), or "" when it names none. */
  static String key(String envelope) {
    Matcher m = CHANNEL.matcher(envelope);
    return m.find() ? m.group(1) : "";
  }

  void run(String key, Runnable work) {
    Future<Void> next;
    synchronized (tails) {
      Future<Void> tail = tails.getOrDefault(key, Future.succeededFuture());
      next = tail.transform(ar -> vertx.<Void>executeBlocking(() -> {
        work.run();
        return null;
      }, false));
      tails.put(key, next);
    }
    next.onComplete(ar -> {
      synchronized (tails) {
        tails.remove(key, next);
      }
    });
  }
}
