package ai.spacebot.messaging.format;

import java.util.List;
import java.util.Locale;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.BlockQuote;
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
 * The model's Markdown as Slack mrkdwn: {@code *bold*}, {@code _italic_}, {@code ~strike~}, {@code `code`},
 * {@code ```} blocks (Slack shows no language, so none is written), {@code <url|label>} links, {@code >} quotes,
 * "• item" and "1. item" lists, headings as bold lines. {@code &}, {@code <} and {@code >} in the text are escaped as
 * Slack asks, so text the model wrote can never become a link, a mention or {@code <!channel>}.
 */
public final class SlackMrkdwn {
  private static final Parser PARSER = Parser.builder()
      .extensions(List.of(StrikethroughExtension.builder().requireTwoTildes(true).build())).build();

  private SlackMrkdwn() {}

  public static String render(String markdown) {
    StringBuilder out = new StringBuilder(markdown.length() + markdown.length() / 8);
    blocks(PARSER.parse(markdown), out, "\n\n");
    return out.toString();
  }

  private static void blocks(Node parent, StringBuilder out, String separator) {
    boolean first = true;
    for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
      if (child instanceof LinkReferenceDefinition) {
        continue;
      }
      if (!first) {
        out.append(separator);
      }
      first = false;
      block(child, out);
    }
  }

  private static void block(Node node, StringBuilder out) {
    if (node instanceof Paragraph) {
      inlines(node, out);
    } else if (node instanceof Heading) {
      out.append('*');
      inlines(node, out);
      out.append('*');
    } else if (node instanceof BlockQuote) {
      StringBuilder inner = new StringBuilder();
      blocks(node, inner, "\n\n");
      String[] lines = inner.toString().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        out.append(i == 0 ? "" : "\n").append("> ").append(lines[i]);
      }
    } else if (node instanceof ListBlock list) {
      list(list, out);
    } else if (node instanceof FencedCodeBlock code) {
      codeBlock(code.getLiteral(), out);
    } else if (node instanceof IndentedCodeBlock code) {
      codeBlock(code.getLiteral(), out);
    } else if (node instanceof HtmlBlock raw) {
      escape(stripTrailingNewlines(raw.getLiteral()), out);
    } else if (node instanceof ThematicBreak) {
      out.append("———");
    } else {
      blocks(node, out, "\n\n");
    }
  }

  private static void list(ListBlock list, StringBuilder out) {
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
        blocks(item, content, "\n");
      } else {
        block(item, content);
      }
      out.append(marker);
      String pad = " ".repeat(marker.length());
      for (int i = 0; i < content.length(); i++) {
        char c = content.charAt(i);
        out.append(c);
        if (c == '\n' && i + 1 < content.length() && content.charAt(i + 1) != '\n') {
          out.append(pad);
        }
      }
    }
  }

  private static void codeBlock(String literal, StringBuilder out) {
    out.append("```\n");
    escape(stripTrailingNewlines(literal), out);
    out.append("\n```");
  }

  private static void inlines(Node parent, StringBuilder out) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
      inline(node, out);
    }
  }

  private static void inline(Node node, StringBuilder out) {
    if (node instanceof Text t) {
      escape(t.getLiteral(), out);
    } else if (node instanceof Code code) {
      out.append('`');
      escape(code.getLiteral(), out);
      out.append('`');
    } else if (node instanceof Emphasis) {
      wrap(node, "_", out);
    } else if (node instanceof StrongEmphasis) {
      wrap(node, "*", out);
    } else if (node instanceof Strikethrough) {
      wrap(node, "~", out);
    } else if (node instanceof Link link) {
      link(link.getDestination(), node, out);
    } else if (node instanceof Image image) {
      link(image.getDestination(), node, out);
    } else if (node instanceof SoftLineBreak || node instanceof HardLineBreak) {
      out.append('\n');
    } else if (node instanceof HtmlInline raw) {
      escape(raw.getLiteral(), out);
    } else {
      inlines(node, out);
    }
  }

  private static void wrap(Node node, String mark, StringBuilder out) {
    out.append(mark);
    inlines(node, out);
    out.append(mark);
  }

  /**
   * {@code <url|label>} for a web or mail link; {@code |} and {@code >} cannot appear inside one, so a destination
   * with them (or any other scheme) is written as text after its label.
   */
  private static void link(String destination, Node node, StringBuilder out) {
    StringBuilder label = new StringBuilder();
    inlines(node, label);
    String d = destination.toLowerCase(Locale.ROOT);
    boolean linkable = (d.startsWith("https://") || d.startsWith("http://") || d.startsWith("mailto:"))
        && destination.chars().noneMatch(c -> c == '|' || c == '<' || c == '>' || c <= ' ');
    String labelText = label.toString();
    if (linkable) {
      out.append('<').append(destination.replace("&", "&amp;"));
      if (!labelText.isBlank() && !labelText.equals(destination)) {
        out.append('|').append(labelText.replace("|", "¦"));
      }
      out.append('>');
      return;
    }
    out.append(labelText);
    if (!destination.isEmpty() && !labelText.equals(destination)) {
      out.append(labelText.isBlank() ? "" : " (");
      escape(destination, out);
      out.append(labelText.isBlank() ? "" : ")");
    }
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  /** Slack's three control characters; everything else is shown as written. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    escape(s, out);
    return out.toString();
  }

  private static void escape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
  }
}
