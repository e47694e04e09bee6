package ai.spacebot.secrets;

import ai.spacebot.bus.OutboundMessage;
import java.util.List;
import java.util.Optional;

/**
 * What a message to a person goes through before it is stored as sent and handed to a platform: known secret
 * values are redacted from its text, thread name and rich parts; a credential pattern anywhere in them withholds
 * the whole message (text, rich parts and files), and the person gets {@link #NOTICE} instead.
 */
public final class OutboundGuard {
  /** What the person sees instead of a withheld reply. */
  public static final String NOTICE =
      ai.spacebot.llm.Prompts.load("leak_notice.md").strip();

  /** The message as it may go out, and the pattern that withheld the original (or null). */
  public record Sealed(OutboundMessage message, LeakPattern withheldFor) {
    public boolean withheld() {
      return withheldFor != null;
    }
  }

  private final SecretScrubber scrubber;

  public OutboundGuard(SecretScrubber scrubber) {
    this.scrubber = scrubber;
  }

  public Sealed seal(OutboundMessage m) {
    if (m == null) {
      return new Sealed(null, null);
    }
    Optional<LeakPattern> leak = scrubber.leak(m.text())
        .or(() -> scrubber.leak(m.threadName()))
        .or(() -> JsonRedaction.leak(m.rich(), scrubber));
    if (leak.isPresent()) {
      return new Sealed(new OutboundMessage(m.id(), m.kind(), m.agentId(), m.platform(), m.conversationId(), NOTICE,
          m.inReplyTo(), m.idempotencyKey(), m.replyToPlatformId(), null, null, List.of(), m.deliveredParts()),
          leak.get());
    }
    String text = scrubber.redact(m.text());
    String thread = scrubber.redact(m.threadName());
    var rich = JsonRedaction.apply(m.rich(), scrubber::redact);
    if (text == m.text() && thread == m.threadName() && rich == m.rich()) {
      return new Sealed(m, null);
    }
    return new Sealed(new OutboundMessage(m.id(), m.kind(), m.agentId(), m.platform(), m.conversationId(), text,
        m.inReplyTo(), m.idempotencyKey(), m.replyToPlatformId(), thread, rich, m.files(), m.deliveredParts()), null);
  }
}
