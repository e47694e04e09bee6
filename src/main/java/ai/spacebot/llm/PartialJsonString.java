package ai.spacebot.llm;

/**
 * Extracts the value of one string field from a JSON object that is still arriving, so the text a
 * model writes into {@code reply{content}} can be streamed to the user while the tool call streams in.
 * Returns the decoded prefix of the value seen so far; an escape cut in half is left for the next call.
 */
public final class PartialJsonString {
  private PartialJsonString() {}

  /** The decoded (possibly partial) value of {@code field}, or null if its value has not started. */
  public static String valueSoFar(String json, String field) {
    int start = valueStart(json, field);
    if (start < 0) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    int i = start;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c == '"') {
        break;
      }
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= json.length()) {
        break;
      }
      char e = json.charAt(i + 1);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (i + 6 > json.length()) {
            return out.toString();
          }
          try {
            out.append((char) Integer.parseInt(json.substring(i + 2, i + 6), 16));
          } catch (NumberFormatException ex) {
            return out.toString();
          }
          i += 6;
          continue;
        }
        default -> out.append(e);
      }
      i += 2;
    }
    return out.toString();
  }

  private static int valueStart(String json, String field) {
    String key = "\"" + field + "\"";
    int k = json.indexOf(key);
    while (k >= 0) {
      int i = k + key.length();
      while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
        i++;
      }
      if (i < json.length() && json.charAt(i) == ':') {
        i++;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
          i++;
        }
        if (i < json.length() && json.charAt(i) == '"') {
          return i + 1;
        }
        return -1;
      }
      k = json.indexOf(key, k + 1);
    }
    return -1;
  }
}
