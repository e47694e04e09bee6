package ai.spacebot.secrets;

import java.util.Optional;

/** Finding and redacting {@link LeakPattern}s in a text. */
public final class LeakPatterns {
  private static final LeakPattern[] ALL = LeakPattern.values();

  private LeakPatterns() {}

  /** The first pattern (in declaration order) with a plausible match in {@code text}. */
  public static Optional<LeakPattern> first(CharSequence text) {
    int[] end = new int[1];
    for (LeakPattern p : ALL) {
      if (p.find(text, end) >= 0) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code text} with every plausible match replaced by {@code [REDACTED:pattern]}. A private key block is cut
   * from its BEGIN line through its END line (or to the end of the text when the END line is missing).
   */
  public static String redact(String text) {
    String out = text;
    int[] end = new int[1];
    for (LeakPattern p : ALL) {
      int guard = 0;
      int start;
      while ((start = p.find(out, end)) >= 0 && guard++ < 1000) {
        int stop = end[0];
        if (p == LeakPattern.PRIVATE_KEY) {
          int endLine = out.indexOf("-----END ", stop);
          int close = endLine < 0 ? -1 : out.indexOf("-----", endLine + 9);
          stop = close < 0 ? out.length() : close + 5;
        }
        out = out.substring(0, start) + "[REDACTED:" + p.wireName() + "]" + out.substring(stop);
      }
    }
    return out;
  }
}
