package ai.spacebot.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telegram's {@code parse_mode=HTML}, as strict as the Bot API: only its tags, balanced, and only the four named
 * entities plus numeric ones. Error texts follow Telegram's ("Unsupported start tag "p" at byte offset 0"), so an
 * adapter's handling of a refused message can be tested on what it will really read.
 */
public final class TelegramHtml {
  private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
      "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji");
  private static final Map<String, String> NAMED = Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"");
  private static final Pattern ATTRIBUTE = Pattern.compile("\\s*([a-zA-Z-]+)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"'>]+))?");

  private TelegramHtml() {}

  /** Telegram's refusal: the text after "Bad Request: can't parse entities: ". */
  public static final class ParseError extends Exception {
    public ParseError(String message) {
      super(message);
    }
  }

  /** The text a user sees (tags removed, entities decoded), or the parse error Telegram would give. */
  public static String plainText(String html) throws ParseError {
    StringBuilder out = new StringBuilder();
    Deque<String> open = new ArrayDeque<>();
    int i = 0;
    while (i < html.length()) {
      char c = html.charAt(i);
      if (c == '<') {
        int end = html.indexOf('>', i);
        if (end < 0) {
          throw new ParseError("Unclosed start tag at byte offset " + byteOffset(html, i));
        }
        String inner = html.substring(i + 1, end);
        if (inner.startsWith("/")) {
          String name = inner.substring(1).trim().toLowerCase(Locale.ROOT);
          if (open.isEmpty()) {
            throw new ParseError("Unexpected end tag at byte offset " + byteOffset(html, i));
          }
          if (!open.peek().equals(name)) {
            throw new ParseError("Unmatched end tag at byte offset " + byteOffset(html, i) + ", expected \"</"
                + open.peek() + ">\", found \"</" + name + ">\"");
          }
          open.pop();
        } else {
          open.push(startTag(html, i, inner));
        }
        i = end + 1;
      } else if (c == '&') {
        i = entity(html, i, out);
      } else {
        out.append(c);
        i++;
      }
    }
    if (!open.isEmpty()) {
      throw new ParseError("Can't find end tag corresponding to start tag \"" + open.peek() + "\"");
    }
    return out.toString();
  }

  private static String startTag(String html, int at, String inner) throws ParseError {
    int nameEnd = 0;
    while (nameEnd < inner.length() && (Character.isLetterOrDigit(inner.charAt(nameEnd)) || inner.charAt(nameEnd) == '-')) {
      nameEnd++;
    }
    String name = inner.substring(0, nameEnd).toLowerCase(Locale.ROOT);
    if (!TAGS.contains(name)) {
      throw new ParseError("Unsupported start tag \"" + name + "\" at byte offset " + byteOffset(html, at));
    }
    Map<String, String> attributes = new java.util.HashMap<>();
    Matcher m = ATTRIBUTE.matcher(inner).region(nameEnd, inner.length());
    while (m.lookingAt() && m.end() > m.regionStart()) {
      String value = m.group(2) == null ? "" : m.group(2).replaceAll("^[\"']|[\"']$", "");
      attributes.put(m.group(1).toLowerCase(Locale.ROOT), value);
      m.region(m.end(), inner.length());
    }
    if (!inner.substring(m.regionStart()).isBlank()) {
      throw new ParseError("Expected equal sign in declaration of an attribute of the tag \"" + name
          + "\" at byte offset " + byteOffset(html, at));
    }
    if (name.equals("span") && !"tg-spoiler".equals(attributes.get("class"))) {
      throw new ParseError("Tag \"span\" must have class \"tg-spoiler\" at byte offset " + byteOffset(html, at));
    }
    if (name.equals("tg-emoji") && !attributes.containsKey("emoji-id")) {
      throw new ParseError("Custom emoji entity must contain a valid custom emoji identifier");
    }
    return name;
  }

  private static int entity(String html, int at, StringBuilder out) throws ParseError {
    int semi = html.indexOf(';', at);
    String body = semi < 0 ? "" : html.substring(at + 1, semi);
    if (semi < 0 || body.isEmpty() || !body.matches("#?[a-zA-Z0-9]+")) {
      out.append('&');  // a bare ampersand that starts no entity is text, as in Telegram
      return at + 1;
    }
    if (body.startsWith("#")) {
      try {
        int code = body.startsWith("#x") || body.startsWith("#X")
            ? Integer.parseInt(body.substring(2), 16) : Integer.parseInt(body.substring(1));
        out.appendCodePoint(code);
      } catch (IllegalArgumentException e) {
        throw new ParseError("Unsupported HTML entity \"&" + body + ";\" at byte offset " + byteOffset(html, at));
      }
    } else {
      String decoded = NAMED.get(body);
      if (decoded == null) {
        throw new ParseError("Unsupported HTML entity \"&" + body + ";\" at byte offset " + byteOffset(html, at));
      }
      out.append(decoded);
    }
    return semi + 1;
  }

  private static int byteOffset(String s, int index) {
    return s.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
  }
}
