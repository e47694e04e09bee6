package ai.spacebot.messaging.format;

import ai.spacebot.messaging.format.Markup.Open;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a rendered text into parts of at most {@code limit} characters, each well-formed on its own. A part ends at
 * the last paragraph break (blank line) that fits, else the last line break, else the last sentence end, else the
 * last space, and only then at a hard cut. Whatever markup is open where a part ends is closed at its end and
 * reopened at the start of the next part; the limit counts those added tags too.
 *
 * <p>Each part costs a few backwards scans of at most {@code limit} characters, so the whole text is linear in its
 * length (nothing is rendered twice).
 */
final class Splitter {
  private static final String[] SENTENCE_ENDS = {". ", "! ", "? "};

  /** Where a part ends, where the next one starts (after the separator), and whether the cut is inside a line. */
  private record Cut(int end, int next, boolean midLine) {}

  private final String text;
  private final Markup markup;
  private final int limit;
  private final int n;

  private Splitter(String text, Markup markup, int limit) {
    this.text = text;
    this.markup = markup;
    this.limit = limit;
    this.n = text.length();
  }

  static List<String> split(String text, Markup markup, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the length limit must be positive: " + limit);
    }
    return new Splitter(text, markup, limit).parts();
  }

  private List<String> parts() {
    List<String> parts = new ArrayList<>();
    int start = skipLeading(0, false);
    while (true) {
      int first = firstVisible(start);
      if (first < 0) {
        return parts;
      }
      String reopen = Open.reopen(markup.openAt(start));
      // The shortest part there is: one visible character. Only an absurdly small limit (smaller than the tags that
      // must wrap it) makes a part longer than the limit; never an empty one or an endless loop.
      int minEnd = nextCut(first + 1);
      int reserve = 0;
      while (true) {
        // Without overflow: the portal's limit is Integer.MAX_VALUE.
        int room = limit - reopen.length() - reserve;
        int maxEnd = room >= n - start ? n : start + room;
        boolean forced = maxEnd < minEnd;
        Cut cut = maxEnd >= n ? new Cut(n, n, false) : forced ? new Cut(minEnd, minEnd, true) : choose(first, minEnd, maxEnd);
        int end = trimEnd(start, cut.end());
        String close = Open.close(markup.openAt(end));
        int excess = reopen.length() + (end - start) + close.length() - limit;
        if (excess <= 0 || forced) {
          parts.add(reopen + text.substring(start, end) + close);
          start = skipLeading(cut.next(), cut.midLine());
          break;
        }
        // The closing tags did not fit: leave room for them and choose again (the window only shrinks).
        reserve += excess;
      }
    }
  }

  /** The best cut of the part whose first visible character is at {@code first}, ending at or before maxEnd. */
  private Cut choose(int first, int minEnd, int maxEnd) {
    int p = last("\n\n", first, maxEnd);
    if (p >= 0) {
      return new Cut(p, p + 2, false);
    }
    p = last("\n", first, maxEnd);
    if (p >= 0) {
      return new Cut(p, p + 1, false);
    }
    int sentence = -1;
    for (String end : SENTENCE_ENDS) {
      // The part keeps the punctuation mark: it ends one character after the separator's start.
      int q = last(end, first - 1, maxEnd - 1);
      sentence = Math.max(sentence, q);
    }
    if (sentence >= 0) {
      return new Cut(sentence + 1, sentence + 2, true);
    }
    p = last(" ", first, maxEnd);
    if (p >= 0) {
      return new Cut(p, p + 1, true);
    }
    int e = maxEnd;
    while (e > minEnd && !markup.canCut(e)) {
      e--;
    }
    return new Cut(e, e, true);
  }

  /** The last occurrence of sep starting after {@code after} and at or before {@code at}, with cuttable ends; or -1. */
  private int last(String sep, int after, int at) {
    // Not String.lastIndexOf: it would search on back to the start of the text, and make splitting quadratic.
    char c = sep.charAt(0);
    for (int p = Math.min(at, n - sep.length()); p > after; p--) {
      if (text.charAt(p) == c && text.startsWith(sep, p) && markup.canCut(p) && markup.canCut(p + sep.length())) {
        return p;
      }
    }
    return -1;
  }

  /** Drops trailing whitespace and tags that open nothing but an empty element at the end of a part. */
  private int trimEnd(int start, int end) {
    while (end > start) {
      int opener = markup.openerStartingBefore(end);
      if (opener >= 0) {
        end = opener;
      } else if (Character.isWhitespace(text.charAt(end - 1))) {
        end--;
      } else {
        break;
      }
    }
    return end;
  }

  /**
   * Where the next part really starts: past blank lines (a line's indentation stays, it matters in code) or, after a
   * cut inside a line, past the spaces; and past closing tags right there, whose element the last part already closed.
   */
  private int skipLeading(int j, boolean midLine) {
    while (true) {
      int k = j;
      while (k < n && Character.isWhitespace(text.charAt(k))) {
        k++;
      }
      if (k == n) {
        return n;
      }
      int closer = markup.closerEndingFrom(k);
      if (closer >= 0) {
        j = closer;
        midLine = true;
        continue;
      }
      if (midLine) {
        return k;
      }
      int newline = text.lastIndexOf('\n', k - 1);
      return newline >= j ? newline + 1 : j;
    }
  }

  private int firstVisible(int from) {
    for (int i = from; i < n; i++) {
      if (markup.visible(i)) {
        return i;
      }
    }
    return -1;
  }

  private int nextCut(int from) {
    int i = from;
    while (i < n && !markup.canCut(i)) {
      i++;
    }
    return Math.min(i, n);
  }
}
