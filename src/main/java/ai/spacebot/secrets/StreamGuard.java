package ai.spacebot.secrets;

import java.util.ArrayList;
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
  /** Context before newly resolved text that a pattern check also sees (a private key block's header lines). */
  private static final int PATTERN_CONTEXT = 256;

  private final SecretScrubber scrubber;
  private LeakPattern blocked;
  // Incremental state over the text offered so far: each call scans only what was appended.
  private Redactor redactor;
  private String scanned = "";
  private int state;
  private final List<Redactor.Span> spans = new ArrayList<>();
  /** The shown text (redacted), and how far into the raw text it reaches. */
  private final StringBuilder shown = new StringBuilder();
  private int shownRaw;
  /** How much of {@link #shown} the pattern check has seen. */
  private int checked;

  public StreamGuard(SecretScrubber scrubber) {
    this.scrubber = scrubber;
  }

  /** The part of {@code raw} that may be shown now (redacted), or null once a credential pattern was seen. */
  public String visible(String raw) {
    if (blocked != null) {
      return null;
    }
    Redactor current = scrubber.redactor();
    if (current != redactor || !raw.startsWith(scanned)) {
      restart(current);
    }
    for (int i = scanned.length(); i < raw.length(); i++) {
      state = redactor.next(state, raw.charAt(i));
      if (redactor.matches(state)) {
        redactor.addMatch(spans, state, i + 1);
      }
    }
    scanned = raw;
    int cut = raw.length() - redactor.depth(state);
    int token = raw.length();
    while (token > 0 && isTokenChar(raw.charAt(token - 1))) {
      token--;
    }
    cut = Math.min(cut, token);
    for (int i = spans.size() - 1; i >= 0 && spans.get(i).end() > shownRaw; i--) {
      Redactor.Span s = spans.get(i);
      if (s.start() < cut && s.end() > cut) {
        cut = s.start();
      }
    }
    // Spans wholly before the cut are final: nothing appended later can merge into them.
    for (Redactor.Span s : spans) {
      if (s.end() <= shownRaw || s.start() < shownRaw) {
        continue;
      }
      if (s.end() > cut) {
        break;
      }
      shown.append(raw, shownRaw, s.start()).append(Redactor.label(s.names()));
      shownRaw = s.end();
    }
    if (cut > shownRaw) {
      shown.append(raw, shownRaw, cut);
      shownRaw = cut;
    }
    if (shown.length() > checked) {
      int from = Math.max(0, checked - PATTERN_CONTEXT);
      Optional<LeakPattern> leak = LeakPatterns.first(shown.subSequence(from, shown.length()));
      checked = shown.length();
      if (leak.isPresent()) {
        blocked = leak.get();
        return null;
      }
    }
    return shown.toString();
  }

  private void restart(Redactor current) {
    redactor = current;
    scanned = "";
    state = 0;
    spans.clear();
    shown.setLength(0);
    shownRaw = 0;
    checked = 0;
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

  /** A new message begins. */
  public void reset() {
    blocked = null;
    restart(scrubber.redactor());
  }

  static boolean isTokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
        || c == '+' || c == '/' || c == '=' || c == '%' || c == '~';
  }
}
