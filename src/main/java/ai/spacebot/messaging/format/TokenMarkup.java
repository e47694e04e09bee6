package ai.spacebot.messaging.format;

import java.util.Arrays;

/**
 * The markup of a text as a sorted list of tokens (spans that must stay whole), each knowing what is open after it.
 * Built in one pass; every question the {@link Splitter} asks is a binary search.
 */
final class TokenMarkup implements Markup {
  private enum Kind { OPENER, CLOSER, ENTITY }

  private static final String LANGUAGE_CHARS = "+-_.#";

  private final String text;
  private int size;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private Kind[] kinds = new Kind[16];
  private Open[] after = new Open[16];

  private TokenMarkup(String text) {
    this.text = text;
  }

  /**
   * Telegram HTML as {@link MarkdownRenderer} writes it: every {@code <} starts a tag and every {@code &} an
   * entity, because text never contains them unescaped. A closing tag that does not match the open one is ignored
   * (our HTML is balanced; this only keeps a bad input from unbalancing the parts).
   */
  static TokenMarkup html(String html) {
    TokenMarkup m = new TokenMarkup(html);
    Open open = null;
    int n = html.length();
    for (int i = 0; i < n; i++) {
      char c = html.charAt(i);
      if (c == '<') {
        int end = html.indexOf('>', i);
        if (end < 0) {
          break;
        }
        boolean closing = i + 1 < n && html.charAt(i + 1) == '/';
        int nameStart = closing ? i + 2 : i + 1;
        int nameEnd = nameStart;
        while (nameEnd < end && (Character.isLetterOrDigit(html.charAt(nameEnd)) || html.charAt(nameEnd) == '-')) {
          nameEnd++;
        }
        String name = html.substring(nameStart, nameEnd);
        if (closing) {
          if (open != null && open.name().equals(name)) {
            open = open.parent();
          }
        } else {
          open = new Open(name, html.substring(i, end + 1), "</" + name + ">", open);
        }
        m.add(i, end + 1, closing ? Kind.CLOSER : Kind.OPENER, open);
        i = end;
      } else if (c == '&') {
        int end = i + 1;
        while (end < n && end - i <= 10 && html.charAt(end) != ';') {
          end++;
        }
        if (end < n && html.charAt(end) == ';') {
          m.add(i, end + 1, Kind.ENTITY, open);
          i = end;
        }
      }
    }
    return m;
  }

  /**
   * Discord Markdown's code blocks: each {@code ```} opens or closes one, as Discord reads them. An opening fence
   * followed by a language and a line break is one token with them, so a part can reopen the block with the same
   * language.
   */
  static TokenMarkup discordFences(String markdown) {
    TokenMarkup m = new TokenMarkup(markdown);
    Open open = null;
    int n = markdown.length();
    int i = markdown.indexOf("```");
    while (i >= 0) {
      int end = i + 3;
      if (open == null) {
        int info = end;
        while (info < n && isLanguageChar(markdown.charAt(info))) {
          info++;
        }
        String language = "";
        if (info == n || markdown.charAt(info) == '\n') {
          language = markdown.substring(end, info);
          end = Math.min(n, info + 1);
        }
        open = new Open("```", "```" + language + "\n", "\n```", null);
        m.add(i, end, Kind.OPENER, open);
      } else {
        open = null;
        m.add(i, end, Kind.CLOSER, null);
      }
      i = markdown.indexOf("```", end);
    }
    return m;
  }

  private static boolean isLanguageChar(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || LANGUAGE_CHARS.indexOf(c) >= 0);
  }

  private void add(int start, int end, Kind kind, Open open) {
    if (size == starts.length) {
      int grown = size * 2;
      starts = Arrays.copyOf(starts, grown);
      ends = Arrays.copyOf(ends, grown);
      kinds = Arrays.copyOf(kinds, grown);
      after = Arrays.copyOf(after, grown);
    }
    starts[size] = start;
    ends[size] = end;
    kinds[size] = kind;
    after[size] = open;
    size++;
  }

  /** The last token starting at or before i, or -1. */
  private int tokenAtOrBefore(int i) {
    int k = Arrays.binarySearch(starts, 0, size, i);
    return k >= 0 ? k : -k - 2;
  }

  @Override
  public boolean canCut(int i) {
    int k = tokenAtOrBefore(i);
    boolean insideToken = k >= 0 && starts[k] < i && i < ends[k];
    return !insideToken && !Markup.splitsSurrogatePair(text, i);
  }

  @Override
  public Open openAt(int i) {
    // Tokens do not overlap, so ends are sorted too: the last token that ends at or before i.
    int k = Arrays.binarySearch(ends, 0, size, i);
    k = k >= 0 ? k : -k - 2;
    return k >= 0 ? after[k] : null;
  }

  @Override
  public int closerEndingFrom(int i) {
    int k = Arrays.binarySearch(starts, 0, size, i);
    return k >= 0 && kinds[k] == Kind.CLOSER ? ends[k] : -1;
  }

  @Override
  public int openerStartingBefore(int i) {
    int k = Arrays.binarySearch(ends, 0, size, i);
    return k >= 0 && kinds[k] == Kind.OPENER ? starts[k] : -1;
  }

  @Override
  public boolean visible(int i) {
    if (Character.isWhitespace(text.charAt(i))) {
      return false;
    }
    int k = tokenAtOrBefore(i);
    return k < 0 || i >= ends[k] || kinds[k] == Kind.ENTITY;
  }
}
