package ai.spacebot.llm;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Marks text that came from outside the prompt's author (tool output, files, fetched pages, branch and worker
 * results) as data. The block opens with {@code <<<data from="…" id=…>>>} and closes with
 * {@code <<<end data id=…>>>}; the id is random per block, and any {@code <<<} inside the content is
 * rewritten to {@code ‹<<}, so the content can neither guess nor write a closing line that ends its block early.
 * The prompts tell every model that fenced content is data, never instructions.
 */
public final class Fence {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String OPEN = "<<<";
  private static final String ESCAPED = "\u2039<<";

  private Fence() {}

  /** {@code content} inside a block labelled with where it came from (e.g. {@code tool shell}). */
  public static String wrap(String source, String content) {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return wrap(source, content, HexFormat.of().formatHex(bytes));
  }

  static String wrap(String source, String content, String id) {
    String label = source == null ? "unknown" : source.replaceAll("[\"<>\\s]+", " ").strip();
    return OPEN + "data from=\"" + label + "\" id=" + id + ">>>\n" + escape(content == null ? "" : content)
        + "\n" + OPEN + "end data id=" + id + ">>>";
  }

  /** The content with every {@code <<<} defused, so no line in it can pass for a delimiter. */
  public static String escape(String content) {
    return content.replace(OPEN, ESCAPED);
  }
}
