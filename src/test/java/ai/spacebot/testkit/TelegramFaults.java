package ai.spacebot.testkit;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/** Faults armed by a test, consumed by the shim call by call. Thread-safe: tests arm, the event loop consumes. */
final class TelegramFaults {
  private final Map<String, Queue<TelegramFault>> byMethod = new HashMap<>();
  private int dropGetUpdates;

  /** {@code method} is matched case-insensitively; {@code "*"} matches every method but getUpdates. */
  synchronized void failNext(String method, int count, TelegramFault fault) {
    Queue<TelegramFault> queue = byMethod.computeIfAbsent(method.toLowerCase(Locale.ROOT), m -> new ArrayDeque<>());
    for (int i = 0; i < count; i++) {
      queue.add(fault);
    }
  }

  synchronized Optional<TelegramFault> take(String method) {
    Queue<TelegramFault> queue = byMethod.get(method.toLowerCase(Locale.ROOT));
    if ((queue == null || queue.isEmpty()) && !method.equalsIgnoreCase("getUpdates")) {
      queue = byMethod.get("*");
    }
    return Optional.ofNullable(queue == null ? null : queue.poll());
  }

  synchronized void dropNextGetUpdates() {
    dropGetUpdates++;
  }

  synchronized boolean takeDrop() {
    if (dropGetUpdates == 0) {
      return false;
    }
    dropGetUpdates--;
    return true;
  }

  synchronized void clear() {
    byMethod.clear();
    dropGetUpdates = 0;
  }
}
