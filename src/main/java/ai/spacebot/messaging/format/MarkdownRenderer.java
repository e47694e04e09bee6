package ai.spacebot.messaging.format;

import java.util.List;
import java.util.Locale;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * The model's Markdown as Telegram HTML, or as plain text. Telegram's Bot API accepts a small set of tags, so this
 * writes only those ({@code b i s code pre a blockquote}); everything else becomes text: headings are bold lines,
 * list items "• item" or "1. item" lines, images links. HTML the model wrote is escaped, never passed through.
 * Blocks are separated by a blank line, so the {@link Splitter} finds paragraph boundaries where a reader sees them.
 */
final class MarkdownRenderer {
  /** Two tildes only: a chat message saying "~5 to ~10 minutes" is not strikethrough. */
  private static final Parser PARSER = Parser.builder()
      .extensions(List.of(StrikethroughExtension.builder().requireTwoTildes(true).build())).build();
  static final String THEMATIC_BREAK = "———";

  private final boolean html;

  private MarkdownRenderer(boolean html) {
    this.html = html;
  }

  static String telegramHtml(String markdown) {
    return new MarkdownRenderer(true).render(markdown);
  }

  static String plain(String markdown) {
    return new MarkdownRenderer(false).render(markdown);
  }

  private String render(String markdown) {
    StringBuilder out = new StringBuilder(markdown.length() + markdown.length() / 8);
    blocks(PARSER.parse(markdown), out, "\n\n", false);
    return out.toString();
  }

  private void blocks(Node parent, StringBuilder out, String separator, boolean inQuote) {
    boolean first = true;
    for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
      if (child instanceof LinkReferenceDefinition) {
        continue;
      }
      if (!first) {
        out.append(separator);
      }
      first = false;
      block(child, out, inQuote);
    }
  }

  private void block(Node node, StringBuilder out, boolean inQuote) {
    if (node instanceof Paragraph) {
      inlines(node, out);
    } else if (node instanceof Heading) {
      open(out, "<b>");
      inlines(node, out);
      close(out, "</b>");
    } else if (node instanceof BlockQuote) {
      // Telegram refuses nested blockquotes; an inner quote is just more of the outer one.
      boolean tag = html && !inQuote;
      open(out, tag ? "<blockquote>" : "");
      blocks(node, out, "\n\n", true);
      close(out, tag ? "</blockquote>" : "");
    } else if (node instanceof ListBlock list) {
      list(list, out, inQuote);
    } else if (node instanceof FencedCodeBlock code) {
      codeBlock(code.getLiteral(), language(code.getInfo()), out);
    } else if (node instanceof IndentedCodeBlock code) {
      codeBlock(code.getLiteral(), "", out);
    } else if (node instanceof HtmlBlock raw) {
      text(stripTrailingNewlines(raw.getLiteral()), out);
    } else if (node instanceof ThematicBreak) {
      out.append(THEMATIC_BREAK);
    } else {
      blocks(node, out, "\n\n", inQuote);
    }
  }

  /** One item a line; an item's further lines are indented under its text, so nested lists read as nested. */
  private void list(ListBlock list, StringBuilder out, boolean inQuote) {
    int number = list instanceof OrderedList ordered && ordered.getMarkerStartNumber() != null
        ? ordered.getMarkerStartNumber() : 1;
    boolean first = true;
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      if (!first) {
        out.append('\n');
      }
      first = false;
      String marker = list instanceof OrderedList ? number++ + ". " : "• ";
      StringBuilder content = new StringBuilder();
      if (item instanceof ListItem) {
        blocks(item, content, "\n", inQuote);
      } else {
        block(item, content, inQuote);
      }
      out.append(marker);
      appendIndented(content, " ".repeat(marker.length()), out);
    }
  }

  /** Every line after the first indented by pad (blank lines stay empty, so they still mark paragraphs). */
  private static void appendIndented(CharSequence content, String pad, StringBuilder out) {
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      out.append(c);
      if (c == '\n' && i + 1 < content.length() && content.charAt(i + 1) != '\n') {
        out.append(pad);
      }
    }
  }

  private void codeBlock(String literal, String language, StringBuilder out) {
    String code = stripTrailingNewlines(literal);
    if (!html) {
      out.append(code);
    } else if (language.isEmpty()) {
      out.append("<pre>").append(escape(code)).append("</pre>");
    } else {
      out.append("<pre><code class=\"language-").append(language).append("\">").append(escape(code))
          .append("</code></pre>");
    }
  }

  private void inlines(Node parent, StringBuilder out) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
      inline(node, out);
    }
  }

  private void inline(Node node, StringBuilder out) {
    if (node instanceof Text t) {
      text(t.getLiteral(), out);
    } else if (node instanceof Code code) {
      open(out, "<code>");
      text(code.getLiteral(), out);
      close(out, "</code>");
    } else if (node instanceof Emphasis) {
      wrap(node, "i", out);
    } else if (node instanceof StrongEmphasis) {
      wrap(node, "b", out);
    } else if (node instanceof Strikethrough) {
      wrap(node, "s", out);
    } else if (node instanceof Link link) {
      link(link.getDestination(), node, out);
    } else if (node instanceof Image image) {
      link(image.getDestination(), node, out);
    } else if (node instanceof SoftLineBreak || node instanceof HardLineBreak) {
      out.append('\n');
    } else if (node instanceof HtmlInline raw) {
      text(raw.getLiteral(), out);
    } else {
      inlines(node, out);
    }
  }

  private void wrap(Node node, String tag, StringBuilder out) {
    open(out, "<" + tag + ">");
    inlines(node, out);
    close(out, "</" + tag + ">");
  }

  /**
   * A link Telegram can open becomes {@code <a href>}; any other destination (relative, {@code javascript:}) would
   * make Telegram refuse the whole message, so it is shown as text after the label instead, as in plain text.
   */
  private void link(String destination, Node node, StringBuilder out) {
    String label = plainText(node);
    boolean labelled = !label.isBlank() && !label.equals(destination);
    if (html && opensInTelegram(destination)) {
      out.append("<a href=\"").append(escapeAttribute(destination)).append("\">");
      if (labelled) {
        inlines(node, out);
      } else {
        text(destination, out);
      }
      out.append("</a>");
      return;
    }
    if (!label.isBlank()) {
      inlines(node, out);
    }
    if (labelled && !destination.isEmpty()) {
      text(" (" + destination + ")", out);
    } else if (label.isBlank()) {
      text(destination, out);
    }
  }

  private static boolean opensInTelegram(String destination) {
    String d = destination.toLowerCase(Locale.ROOT);
    return d.startsWith("https://") || d.startsWith("http://") || d.startsWith("tg://");
  }

  private static String plainText(Node node) {
    StringBuilder out = new StringBuilder();
    new MarkdownRenderer(false).inlines(node, out);
    return out.toString();
  }

  private void open(StringBuilder out, String tag) {
    if (html) {
      out.append(tag);
    }
  }

  private void close(StringBuilder out, String tag) {
    open(out, tag);
  }

  private void text(String s, StringBuilder out) {
    if (html) {
      escape(s, out, false);
    } else {
      out.append(s);
    }
  }

  /** The first word of a fence's info string, if it is a plausible language name (it goes into an attribute). */
  private static String language(String info) {
    String word = info == null ? "" : info.strip().split("\\s+", 2)[0];
    return word.matches("[A-Za-z0-9_+#.-]{1,32}") ? word : "";
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    escape(s, out, false);
    return out.toString();
  }

  private static String escapeAttribute(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    escape(s, out, true);
    return out.toString();
  }

  private static void escape(String s, StringBuilder out, boolean attribute) {
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      String entity = switch (s.charAt(i)) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> attribute ? "&quot;" : null;
        default -> null;
      };
      if (entity != null) {
        out.append(s, from, i).append(entity);
        from = i + 1;
      }
    }
    out.append(s, from, s.length());
  }
}
