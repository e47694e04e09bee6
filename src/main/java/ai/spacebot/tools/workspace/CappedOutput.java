package ai.spacebot.tools.workspace;

import java.nio.charset.StandardCharsets;

/**
 * A command's output as the model will see it: the first {@code cap} bytes are kept, the rest only counted, so a
 * chatty command neither floods the context nor blocks on a full pipe.
 */
final class CappedOutput {
  private final byte[] kept;
  private int size;
  private long total;

  CappedOutput(int cap) {
    this.kept = new byte[cap];
  }

  synchronized void append(byte[] buffer, int length) {
    int room = Math.min(length, kept.length - size);
    System.arraycopy(buffer, 0, kept, size, room);
    size += room;
    total += length;
  }

  synchronized long total() {
    return total;
  }

  /** The kept output, cut at a character boundary, with a note when bytes were dropped; "" when there was none. */
  synchronized String text() {
    if (size == total) {
      return new String(kept, 0, size, StandardCharsets.UTF_8);
    }
    int shown = Utf8.wholeCharacters(kept, size);
    String text = new String(kept, 0, shown, StandardCharsets.UTF_8);
    return endLine(text) + "[output truncated: " + total + " bytes in total, the first " + shown + " shown]\n";
  }

  static String endLine(String text) {
    return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
  }
}
