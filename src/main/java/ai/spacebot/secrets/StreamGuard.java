package ai.spacebot.secrets;

import java.util.List;
import java.util.Optional;

/**
 * Decides how much of a reply that is still streaming may be shown. The text is offered whole each time (the
 * aggregate so far); what is shown is its resolved part, redacted. The tail that could still turn into a secret
 * is held back until more text (or the end) resolves it:
 * <ul>
 *   <li>the longest suffix that is the beginning of a known value's form (so a value split across deltas, or a
 *       value that is a prefix of a longer one, is never shown in part), and any redaction that reaches into it;
 *   <li>the trailing run of token characters (letters, digits, {@code -_.+/=%~}): every credential format is
 *       such a run, so a pattern is judged only on whole runs, once whitespace or punctuation ends them.
 * </ul>
 * Once a credential pattern appears in the resolved part, nothing more is shown for this message (the reply is
 * then withheld when it is delivered). What is shown only ever grows by appending, as long as the offered
 * text does; {@link #reset} starts a new message.
 */
public final class StreamGuard {
  private final SecretScrubber scrubber;
  private LeakPattern blocked;

  public StreamGuard(SecretScrubber scrubber) {
    this.scrubber = scrubber;
  }

  /** The part of {@code raw} that may be shown now (redacted), or null once a credential pattern was seen. */
  public String visible(String raw) {
    if (blocked != null) {
      return null;
    }
    Redactor redactor = scrubber.redactor();
    int cut = raw.length() - redactor.pendingTail(raw);
    int token = raw.length();
    while (token > 0 && isTokenChar(raw.charAt(token - 1))) {
      token--;
    }
    cut = Math.min(cut, token);
    List<Redactor.Span> spans = redactor.spans(raw);
    for (int i = spans.size() - 1; i >= 0; i--) {
      Redactor.Span s = spans.get(i);
      if (s.start() < cut && s.end() > cut) {
        cut = s.start();
      }
    }
    String resolved = Redactor.apply(raw, spans, cut);
    Optional<LeakPattern> leak = LeakPatterns.first(resolved);
    if (leak.isPresent()) {
      blocked = leak.get();
      return null;
    }
    return resolved;
  }

  /** The message is complete: all of it may be shown (redacted), or null when it holds a credential pattern. */
  public String finish(String raw) {
    if (blocked != null) {
      return null;
    }
    String all = scrubber.redact(raw);
    Optional<LeakPattern> leak = LeakPatterns.first(all);
    if (leak.isPresent()) {
      blocked = leak.get();
      return null;
    }
    return all;
  }

  public Optional<LeakPattern> blockedBy() {
    return Optional.ofNullable(blocked);
  }

  public void reset() {
    blocked = null;
  }

  static boolean isTokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
        || c == '+' || c == '/' || c == '=' || c == '%' || c == '~';
  }
}
