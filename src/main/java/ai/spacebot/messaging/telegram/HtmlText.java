package ai.spacebot.messaging.telegram;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telegram HTML back to the text a person would read, for the one case where Telegram refuses our markup: sent
 * without a parse mode, nothing in it can fail to parse, and it is never longer than the HTML it came from.
 */
final class HtmlText {
  private static final Pattern LINK = Pattern.compile("<a\\s+href=\"([^\"]*)\"[^>]*>(.*?)</a>", Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("</?[a-zA-Z][^>]*>");

  private HtmlText() {}

  static String toPlain(String html) {
    Matcher links = LINK.matcher(html);
    StringBuilder out = new StringBuilder();
    while (links.find()) {
      String href = links.group(1);
      String label = links.group(2);
      links.appendReplacement(out, Matcher.quoteReplacement(label.equals(href) ? label : label + " (" + href + ")"));
    }
    links.appendTail(out);
    String text = TAG.matcher(out).replaceAll("");
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
