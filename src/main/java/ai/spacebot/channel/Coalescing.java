package ai.spacebot.channel;

import ai.spacebot.bus.InboundMessage;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The messages waiting for the next user turn. In group conversations the first of a burst opens a short window
 * (capped) and the burst becomes one turn; DMs, commands and system messages flush it at once. Touched only on the
 * channel's event loop.
 */
final class Coalescing {
  private final Vertx vertx;
  private final String conversationId;
  private final int windowMs;
  private final List<InboundMessage> pending = new ArrayList<>();
  /** Who has written here: the portal is a DM unless several people share one session. */
  private final Set<String> senders = new HashSet<>();
  private long windowTimer = -1;
  private long since;
  private boolean mayWait;

  Coalescing(Vertx vertx, String conversationId, int windowMs, int maxWaitMs) {
    this.vertx = vertx;
    this.conversationId = conversationId;
    this.windowMs = Math.min(windowMs, maxWaitMs);
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  boolean has(String messageId) {
    return pending.stream().anyMatch(p -> p.id().equals(messageId));
  }

  void sawSender(String senderKey) {
    senders.add(senderKey);
  }

  void add(InboundMessage message, String senderKey) {
    if (pending.isEmpty()) {
      since = System.currentTimeMillis();
      mayWait = true;
    }
    pending.add(message);
    senders.add(senderKey);
    if (!coalescable(message)) {
      mayWait = false;
      if (windowTimer >= 0) {
        vertx.cancelTimer(windowTimer);
        windowTimer = -1;
      }
    }
  }

  /**
   * Whether the waiting burst may run now. A burst in a group waits until the window that its first message opened
   * closes (also when that message came during a turn); {@code onClose} is called then.
   */
  boolean ready(Runnable onClose) {
    if (windowTimer >= 0) {
      return false;
    }
    long wait = since + windowMs - System.currentTimeMillis();
    if (mayWait && wait > 0) {
      windowTimer = vertx.setTimer(wait, id -> {
        windowTimer = -1;
        onClose.run();
      });
      return false;
    }
    return true;
  }

  List<InboundMessage> drain() {
    List<InboundMessage> batch = new ArrayList<>(pending);
    pending.clear();
    return batch;
  }

  /** DMs, /commands and system messages are answered at once; group chatter waits for the window. */
  private boolean coalescable(InboundMessage m) {
    if (m.text().startsWith("/") || "system".equals(m.senderId()) || m.platform().equals("cron")) {
      return false;
    }
    if (m.addressing().direct()) {
      return false;
    }
    if (conversationId.contains(":dm:")) {
      return false;
    }
    return !m.platform().equals("portal") || senders.size() > 1;
  }
}
