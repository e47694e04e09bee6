package ai.spacebot.tools.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * A response body as text a model can read: HTML becomes its readable text (jsoup; scripts, styles and other
 * invisible parts dropped, one line per block), other text types stay as they are, binary content is only described.
 */
final class PageText {
  private static final Set<String> BLOCKS = Set.of("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
      "pre", "blockquote", "section", "article", "header", "footer", "table", "ul", "ol", "dt", "dd", "hr", "title",
      "main", "nav", "aside", "form", "figure", "figcaption");

  private PageText() {}

  /** The text, or null when the content is not text (an image, a PDF, an archive). */
  static String of(WebPage page) {
    String type = page.contentType().toLowerCase(Locale.ROOT);
    String mime = type.contains(";") ? type.substring(0, type.indexOf(';')).strip() : type.strip();
    Charset charset = charset(type);
    if (mime.equals("text/html") || mime.equals("application/xhtml+xml")) {
      return html(page.body(), charset, page.url());
    }
    if (!(mime.isEmpty() || mime.startsWith("text/") || mime.endsWith("+json") || mime.endsWith("+xml")
        || mime.equals("application/json") || mime.equals("application/xml") || mime.equals("application/javascript")
        || mime.equals("application/x-yaml") || mime.equals("application/yaml"))) {
      return null;
    }
    String text = new String(page.body(), charset == null ? StandardCharsets.UTF_8 : charset);
    if (text.indexOf('\0') >= 0) {
      return null;
    }
    // a server that names no type but sends HTML still gets read as HTML
    if (mime.isEmpty() && text.stripLeading().regionMatches(true, 0, "<!doctype html", 0, 14)) {
      return html(page.body(), charset, page.url());
    }
    return text;
  }

  private static Charset charset(String contentType) {
    int at = contentType.indexOf("charset=");
    if (at < 0) {
      return null;
    }
    String name = contentType.substring(at + 8).replaceAll("[\"';].*$", "").replace("\"", "").strip();
    try {
      return Charset.forName(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String html(byte[] body, Charset charset, String url) {
    Document doc;
    try {
      // without a charset from the header, jsoup reads the page's own <meta charset>
      doc = Jsoup.parse(new ByteArrayInputStream(body), charset == null ? null : charset.name(), url);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    doc.select("script, style, noscript, template, svg, iframe, head > *:not(title)").remove();
    StringBuilder out = new StringBuilder();
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode t) {
          String text = t.text();
          if (!text.isBlank()) {
            if (!out.isEmpty() && !Character.isWhitespace(out.charAt(out.length() - 1))) {
              out.append(' ');
            }
            out.append(text.strip());
          }
        } else if (node instanceof Element e && BLOCKS.contains(e.normalName())) {
          newline(out);
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element e && BLOCKS.contains(e.normalName())) {
          newline(out);
        }
      }
    }, doc);
    return out.toString().replaceAll("\n{3,}", "\n\n").strip();
  }

  private static void newline(StringBuilder out) {
    if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
  }
}
