package ai.spacebot.tools.workspace;

/** Cutting text at a byte limit without splitting a character in two. */
final class Utf8 {
  private Utf8() {}

  /** How many of the first {@code length} bytes form whole UTF-8 characters (a cut sequence at the end is dropped). */
  static int wholeCharacters(byte[] bytes, int length) {
    int lead = length - 1;
    // at most three continuation bytes (10xxxxxx) can follow a lead byte
    while (lead >= 0 && length - lead <= 4 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead < 0 || length - lead > 4) {
      return length; // not UTF-8 here; nothing sensible to protect
    }
    int b = bytes[lead] & 0xFF;
    int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return lead + size <= length ? length : lead;
  }
}
