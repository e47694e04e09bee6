package ai.spacebot.messaging.discord;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import net.dv8tion.jda.api.interactions.InteractionHook;

/**
 * The interactions (button clicks, slash commands) whose answers are still to go out, by our platform message id
 * {@code ix:<interaction id>}. A slash command's answer goes through its {@link InteractionHook} (Discord keeps the
 * interaction token 15 minutes); a click's answer replies to the message that carried the button. Written from
 * JDA's event thread, read on the adapter's event loop. Lost at a restart: answers then go to the channel.
 */
final class Interactions {
  /** Discord's interaction token lifetime, less a margin for the request in flight. */
  static final long TOKEN_MILLIS = 14 * 60_000L;

  /**
   * @param hook the slash command's hook, or null for a click; @param messageId the clicked message, or null
   * @param original which outbound message (its idempotency key) answers in the command's original response
   */
  record Pending(InteractionHook hook, String messageId, long at, AtomicReference<String> original) {
    Pending(InteractionHook hook, String messageId, long at) {
      this(hook, messageId, at, new AtomicReference<>());
    }

    /**
     * Whether this outbound message fills the command's original ("thinking…") response. The first one to ask
     * does (and a retry of it again); any other message of the same command goes out as a follow-up: two that
     * both edited the original would leave only the last on Discord, and share its message id.
     */
    boolean editsOriginal(String outboundKey) {
      return original.compareAndSet(null, outboundKey) || outboundKey.equals(original.get());
    }
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  Interactions(LongSupplier clock) {
    this.clock = clock;
  }

  void command(String platformId, InteractionHook hook) {
    prune();
    pending.put(platformId, new Pending(hook, null, clock.getAsLong()));
  }

  void click(String platformId, String messageId) {
    prune();
    pending.put(platformId, new Pending(null, messageId, clock.getAsLong()));
  }

  /** The interaction behind one of our {@code ix:} ids, if known (a command's only while its token is valid). */
  Pending find(String platformId) {
    if (platformId == null) {
      return null;
    }
    Pending p = pending.get(platformId);
    if (p != null && p.hook() != null && clock.getAsLong() - p.at() > TOKEN_MILLIS) {
      return null;
    }
    return p;
  }

  static boolean isInteraction(String platformId) {
    return platformId != null && platformId.startsWith("ix:");
  }

  private void prune() {
    long now = clock.getAsLong();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      if (now - it.next().at() > 2 * TOKEN_MILLIS) {
        it.remove();
      }
    }
  }

  int size() {
    return pending.size();
  }
}
