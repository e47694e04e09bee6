package ai.spacebot.channel;

import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.Permissions;
import ai.spacebot.config.RateLimitSettings;
import java.util.List;

/**
 * Who may do what in one conversation: the role a message's sender has (and so the tools a turn gets), and whether
 * a message gets a turn at all under the per-sender and per-conversation rate limits. Touched only on the channel's
 * event loop; the per-sender buckets are shared by every channel of one verticle instance.
 */
final class TurnPolicy {
  /** What happens to a message that would get a turn. */
  enum Admission {
    /** It gets its turn. */
    TURN,
    /** Over a limit, the first of its streak: kept, and the people get one notice. */
    LIMITED_NOTICE,
    /** Over a limit again: kept, no turn, no second notice. */
    LIMITED_QUIET,
    /** Its sender is in neither the authority nor the allowed list, and the agent answers only those. */
    NOT_ALLOWED
  }

  private final Permissions permissions;
  private final RateLimitSettings limits;
  private final RateLimiter senders;
  private final RateLimiter conversation;
  private final String conversationId;
  /** Which limit the last refusal hit, for its notice. */
  private boolean lastBySender;

  TurnPolicy(Permissions permissions, RateLimitSettings limits, RateLimiter senders, String conversationId) {
    this.permissions = permissions;
    this.limits = limits;
    this.senders = senders;
    this.conversation = new RateLimiter(limits.conversationCapacity(), limits.conversationPerMinute());
    this.conversationId = conversationId;
  }

  TurnRole role(InboundMessage m) {
    return TurnRole.of(m.addressing(), permissions);
  }

  /** A coalesced batch acts for its least privileged sender. */
  TurnRole role(List<InboundMessage> batch) {
    TurnRole role = null;
    for (InboundMessage m : batch) {
      role = role == null ? role(m) : role.and(role(m));
    }
    return role == null ? everyone() : role;
  }

  /** For results whose starting turn is unknown (a process of a previous run): the least privileged role. */
  TurnRole everyone() {
    return TurnRole.everyone(permissions);
  }

  /** Spends the message's tokens, or says why it gets no turn. */
  Admission admit(InboundMessage m, String senderKey, long now) {
    boolean authority = m.addressing().authority();
    if (!permissions.everyoneAnswered() && !authority && !m.addressing().allowed()) {
      return Admission.NOT_ALLOWED;
    }
    if ((authority && limits.authorityExempt()) || "system".equals(m.senderId()) || "cron".equals(m.platform())) {
      return Admission.TURN;
    }
    String sender = m.platform() + ":" + ("portal".equals(m.platform()) ? conversationId + ":" : "") + senderKey;
    boolean senderOk = senders.hasToken(sender, now);
    boolean conversationOk = conversation.hasToken(conversationId, now);
    if (senderOk && conversationOk) {
      senders.take(sender, now);
      conversation.take(conversationId, now);
      return Admission.TURN;
    }
    lastBySender = !senderOk;
    RateLimiter.Verdict verdict = senderOk ? conversation.refuse(conversationId, now) : senders.refuse(sender, now);
    return verdict == RateLimiter.Verdict.LIMITED_FIRST ? Admission.LIMITED_NOTICE : Admission.LIMITED_QUIET;
  }

  /** The one line an over-limit streak gets. */
  String limitNotice(String senderName) {
    if (lastBySender) {
      return (senderName == null ? "You are" : senderName + ", you are") + " sending messages faster than I can answer "
          + "(more than " + perMinute(limits.senderPerMinute()) + " a minute). I have kept them; I will answer again "
          + "once you slow down.";
    }
    return "This conversation is moving faster than I can answer (more than "
        + perMinute(limits.conversationPerMinute()) + " messages a minute). I am reading along and will answer again "
        + "in a moment.";
  }

  private static String perMinute(double n) {
    return n == Math.rint(n) ? String.valueOf((long) n) : String.valueOf(n);
  }
}
