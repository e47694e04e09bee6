package ai.spacebot.messaging.slack;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Clicks and slash commands whose answers are still to go out, by our platform message id: {@code ix:...} for a
 * click (answered in the clicked message's thread), {@code cmd:...} for a command (answered only to the person who
 * typed it, with {@code chat.postEphemeral}). Written from Bolt's threads, read on the adapter's event loop. Lost
 * at a restart: answers then go to the conversation.
 */
final class Interactions {
  static final long KEEP_MILLIS = 30 * 60_000L;

  /** @param threadTs the thread to answer in (null: the channel); @param userId the person (commands) */
  record Pending(String channelId, String threadTs, String userId, boolean command, long at) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  Interactions(LongSupplier clock) {
    this.clock = clock;
  }

  void put(String platformId, String channelId, String threadTs, String userId, boolean command) {
    long now = clock.getAsLong();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      if (now - it.next().at() > KEEP_MILLIS) {
        it.remove();
      }
    }
    pending.put(platformId, new Pending(channelId, threadTs, userId, command, now));
  }

  Pending find(String platformId) {
    return platformId == null ? null : pending.get(platformId);
  }

  static boolean isInteraction(String platformId) {
    return platformId != null && (platformId.startsWith("ix:") || platformId.startsWith("cmd:"));
  }
}
