package ai.spacebot.messaging.format;

/**
 * What the {@link Splitter} must know about the markup in a text to cut it into parts that each stand on their own:
 * where a cut may fall, and which constructs (tags, code fences) are open at a position, so that a part ending there
 * closes them and the next part opens them again. Markup "tokens" are the spans the dialect's syntax is made of (an
 * HTML tag, a code fence line); a cut never falls strictly inside one.
 */
interface Markup {
  /** Whether a part may end just before index {@code i}: not inside a token, not between the halves of a surrogate pair. */
  boolean canCut(int i);

  /** The constructs open at index {@code i} (after every token that ends at or before it), innermost first; null if none. */
  Open openAt(int i);

  /** If a token that closes a construct starts at {@code i}, where it ends; else -1. */
  int closerEndingFrom(int i);

  /** If a token that opens a construct ends exactly at {@code i}, where it starts; else -1. */
  int openerStartingBefore(int i);

  /** Whether the character at {@code i} is text a reader sees: not whitespace and not part of a markup token. */
  boolean visible(int i);

  /** An open construct: the text that opens it again and the text that closes it, and what it is nested in. */
  record Open(String name, String opening, String closing, Open parent) {
    /** Everything open, outermost first, as it must start the next part. */
    String reopen() {
      return parent == null ? opening : parent.reopen() + opening;
    }

    /** Everything open, innermost first, as it must end a part. */
    String close() {
      return parent == null ? closing : closing + parent.close();
    }

    static String reopen(Open open) {
      return open == null ? "" : open.reopen();
    }

    static String close(Open open) {
      return open == null ? "" : open.close();
    }
  }

  /** Surrogate pairs are one character to a reader; every dialect keeps them together. */
  static boolean splitsSurrogatePair(CharSequence text, int i) {
    return i > 0 && i < text.length() && Character.isHighSurrogate(text.charAt(i - 1))
        && Character.isLowSurrogate(text.charAt(i));
  }

  /** Text without markup (the plain dialect): any cut that keeps surrogate pairs whole. */
  static Markup none(String text) {
    return new Markup() {
      @Override
      public boolean canCut(int i) {
        return !splitsSurrogatePair(text, i);
      }

      @Override
      public Open openAt(int i) {
        return null;
      }

      @Override
      public int closerEndingFrom(int i) {
        return -1;
      }

      @Override
      public int openerStartingBefore(int i) {
        return -1;
      }

      @Override
      public boolean visible(int i) {
        return !Character.isWhitespace(text.charAt(i));
      }
    };
  }
}
