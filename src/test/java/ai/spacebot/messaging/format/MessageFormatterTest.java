package ai.spacebot.messaging.format;

import static ai.spacebot.messaging.format.Dialect.DISCORD;
import static ai.spacebot.messaging.format.Dialect.PLAIN;
import static ai.spacebot.messaging.format.Dialect.TELEGRAM_HTML;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MessageFormatterTest {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-z-]+)[^>]*>");
  private static final Set<String> TELEGRAM_TAGS =
      Set.of("b", "i", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler");

  private static String html(String markdown) {
    List<String> parts = MessageFormatter.format(markdown, TELEGRAM_HTML, 4096);
    assertThat(parts).hasSize(1);
    return parts.get(0);
  }

  /** Telegram's rule: only its tags, every one closed, in order. */
  private static boolean wellFormedHtml(String part) {
    Deque<String> open = new ArrayDeque<>();
    Matcher m = TAG.matcher(part);
    while (m.find()) {
      String name = m.group(2);
      if (!TELEGRAM_TAGS.contains(name)) {
        return false;
      }
      if (m.group(1).isEmpty()) {
        open.push(name);
      } else if (open.isEmpty() || !open.pop().equals(name)) {
        return false;
      }
    }
    // No tag or entity cut in half either.
    String text = TAG.matcher(part).replaceAll("");
    return open.isEmpty() && !text.contains("<") && !text.contains(">")
        && text.replaceAll("&(amp|lt|gt|quot);", "").indexOf('&') < 0;
  }

  private static int count(String s, String of) {
    int n = 0;
    for (int i = s.indexOf(of); i >= 0; i = s.indexOf(of, i + of.length())) {
      n++;
    }
    return n;
  }

  /** About 10 KB: a paragraph, a 200-line Python block, a closing paragraph with a link. */
  private static String longReply() {
    StringBuilder out = new StringBuilder("Here is **the whole** script, as asked:\n\n```python\n");
    for (int i = 0; i < 200; i++) {
      out.append("print(\"line ").append(i).append(" of the code\")  # a < b & c, with padding\n");
    }
    out.append("```\n\nAnd a paragraph after it, with a link to [the docs](https://example.org/docs). The end.");
    return out.toString();
  }

  private static void assertAllCodeLinesOnceInOrder(List<String> parts) {
    String all = String.join("\n", parts);
    int at = -1;
    for (int i = 0; i < 200; i++) {
      int next = all.indexOf("line " + i + " of the code", at + 1);
      assertThat(next).as("code line %d, in order", i).isGreaterThan(at);
      at = next;
      assertThat(all.indexOf("line " + i + " of the code", next + 1)).as("code line %d, once", i).isEqualTo(-1);
    }
    assertThat(all).contains("The end.");
  }

  @Test
  void telegramGetsOnlyTheInlineTagsItAccepts() {
    assertThat(html("**bold** *it* `a<b` ~~gone~~ [docs](https://x.dev/a?b=1&c=\"2\") __strong__"))
        .isEqualTo("<b>bold</b> <i>it</i> <code>a&lt;b</code> <s>gone</s> "
            + "<a href=\"https://x.dev/a?b=1&amp;c=&quot;2&quot;\">docs</a> <b>strong</b>");
  }

  @Test
  void telegramBlocksBecomeLinesItCanShow() {
    String md = """
        # Plan

        - one
        - two
          1. deep
        3. three
        4. four

        > quoted **words**
        > > and a nested quote

        ---
        ![chart](https://x.dev/c.png)

        ```java
        if (a < b) {}
        ```

            indented code""";
    assertThat(html(md)).isEqualTo("""
        <b>Plan</b>

        • one
        • two
          1. deep

        3. three
        4. four

        <blockquote>quoted <b>words</b>

        and a nested quote</blockquote>

        ———

        <a href="https://x.dev/c.png">chart</a>

        <pre><code class="language-java">if (a &lt; b) {}</code></pre>

        <pre>indented code</pre>""");
  }

  @Test
  void htmlTheModelWritesIsEscapedNeverPassedThrough() {
    assertThat(html("<script>alert(\"x\")</script>\n\nSee <b>this</b> & 1 < 2"))
        .isEqualTo("&lt;script&gt;alert(\"x\")&lt;/script&gt;\n\nSee &lt;b&gt;this&lt;/b&gt; &amp; 1 &lt; 2");
  }

  @Test
  void linksTelegramCannotOpenAreShownAsText() {
    assertThat(html("[click](javascript:alert(1)) and [home](/index.html) and <https://x.dev>"))
        .isEqualTo("click (javascript:alert(1)) and home (/index.html) and <a href=\"https://x.dev\">https://x.dev</a>");
  }

  @Test
  void discordKeepsItsOwnMarkdownAndPlainDropsTheMarkup() {
    String md = "# Title\n\n**bold** and *it* with `code` and [docs](https://x.dev)\n\n- a\n- b";
    assertThat(MessageFormatter.format(md, DISCORD, 2000)).containsExactly(md);
    assertThat(MessageFormatter.format(md, PLAIN, 2000))
        .containsExactly("Title\n\nbold and it with code and docs (https://x.dev)\n\n• a\n• b");
  }

  @Test
  void nothingToSayIsNoMessageAndShortTextIsOne() {
    assertThat(MessageFormatter.format("", TELEGRAM_HTML, 4096)).isEmpty();
    assertThat(MessageFormatter.format(" \n\n ", DISCORD, 2000)).isEmpty();
    assertThat(MessageFormatter.format(null, PLAIN, 100)).isEmpty();
    assertThat(MessageFormatter.format("\n\nhello there\n\n", PLAIN, 100)).containsExactly("hello there");
    assertThat(MessageFormatter.format("no limit\n\nat all", PLAIN, Integer.MAX_VALUE))
        .containsExactly("no limit\n\nat all");
  }

  @Test
  void aLongTelegramReplyIsSplitWithItsCodeBlockClosedAndReopened() {
    String md = longReply();
    assertThat(md.length()).isGreaterThan(10_000);
    List<String> parts = MessageFormatter.format(md, TELEGRAM_HTML, 4096);
    assertThat(parts.size()).isBetween(3, 5);
    for (String part : parts) {
      assertThat(part.length()).isLessThanOrEqualTo(4096);
      assertThat(wellFormedHtml(part)).as("well-formed: %s", part).isTrue();
      assertThat(part).isEqualTo(part.strip());
    }
    assertThat(parts.get(0)).isEqualTo("Here is <b>the whole</b> script, as asked:");
    for (String code : parts.subList(1, parts.size() - 1)) {
      assertThat(code).startsWith("<pre><code class=\"language-python\">print(").endsWith("&amp; c, with padding</code></pre>");
    }
    assertThat(parts.get(parts.size() - 1)).startsWith("<pre><code class=\"language-python\">print(")
        .endsWith("</code></pre>\n\nAnd a paragraph after it, with a link to "
        + "<a href=\"https://example.org/docs\">the docs</a>. The end.");
    assertAllCodeLinesOnceInOrder(parts);
    assertThat(String.join("\n", parts)).contains("print(\"line 7 of the code\")  # a &lt; b &amp; c, with padding\n");
  }

  @Test
  void aLongDiscordReplyIsSplitWithItsFenceClosedAndReopened() {
    List<String> parts = MessageFormatter.format(longReply(), DISCORD, 2000);
    assertThat(parts.size()).isBetween(6, 8);
    for (String part : parts) {
      assertThat(part.length()).isLessThanOrEqualTo(2000);
      assertThat(count(part, "```") % 2).as("fences balanced: %s", part).isZero();
    }
    for (String code : parts.subList(1, parts.size() - 1)) {
      assertThat(code).startsWith("```python\nprint(").endsWith("# a < b & c, with padding\n```");
    }
    assertAllCodeLinesOnceInOrder(parts);
  }

  @Test
  void aParagraphBreakIsPreferredToALineBreakToASentenceToASpace() {
    String para = "First paragraph is here.\n\nSecond one. It has a line\nand more words after it";
    assertThat(MessageFormatter.format(para, PLAIN, 60))
        .containsExactly("First paragraph is here.", "Second one. It has a line\nand more words after it");
    String line = "One line here. Still line one\nline two is longer than the rest of it";
    assertThat(MessageFormatter.format(line, PLAIN, 50))
        .containsExactly("One line here. Still line one", "line two is longer than the rest of it");
    String sentence = "The first sentence ends here. The second sentence goes on and on";
    assertThat(MessageFormatter.format(sentence, PLAIN, 45))
        .containsExactly("The first sentence ends here.", "The second sentence goes on and on");
    String words = "no sentence ends anywhere in this rather long line of words";
    assertThat(MessageFormatter.format(words, PLAIN, 30))
        .containsExactly("no sentence ends anywhere in", "this rather long line of words");
  }

  @Test
  void aWordLongerThanTheLimitIsCutHard() {
    String word = "x".repeat(5000);
    List<String> parts = MessageFormatter.format(word, TELEGRAM_HTML, 4096);
    assertThat(parts).extracting(String::length).containsExactly(4096, 904);
    assertThat(String.join("", parts)).isEqualTo(word);
  }

  @Test
  void aHardCutKeepsSurrogatePairsAndEntitiesWhole() {
    String emoji = "😀".repeat(3000);
    List<String> parts = MessageFormatter.format(emoji, PLAIN, 4095);
    assertThat(parts).extracting(String::length).containsExactly(4094, 1906);
    assertThat(String.join("", parts)).isEqualTo(emoji);

    List<String> amps = MessageFormatter.format("&".repeat(3000), TELEGRAM_HTML, 4096);
    assertThat(amps).hasSize(4).allSatisfy(part -> assertThat(part.replace("&amp;", "")).isEmpty());
    assertThat(String.join("", amps)).isEqualTo("&amp;".repeat(3000));
  }

  @Test
  void boldAndQuotesOpenAcrossACutAreClosedAndReopened() {
    String sentence = "This quoted and bold sentence is just long enough. ";
    List<String> parts = MessageFormatter.format("> **" + sentence.repeat(4).strip() + "**", TELEGRAM_HTML, 120);
    assertThat(parts).hasSize(4).allSatisfy(part -> {
      assertThat(part.length()).isLessThanOrEqualTo(120);
      assertThat(part).isEqualTo("<blockquote><b>" + sentence.strip() + "</b></blockquote>");
    });

    List<String> link = MessageFormatter.format("[" + "word ".repeat(30).strip() + "](https://x.dev)", TELEGRAM_HTML,
        100);
    assertThat(link).allSatisfy(part -> {
      assertThat(part.length()).isLessThanOrEqualTo(100);
      assertThat(part).startsWith("<a href=\"https://x.dev\">word").endsWith("word</a>");
    });
    assertThat(String.join(" ", link).replaceAll("<[^>]+>", "")).isEqualTo("word ".repeat(30).strip());
  }

  /** Markdown built from the pieces replies are made of, at random (with a fixed seed, so a failure repeats). */
  private static String randomReply(java.util.Random random) {
    String[] pieces = {"Some words in a sentence. ", "**bold words here** ", "*leaning text* ", "`a < b` ",
        "[a link](https://x.dev/?a=1&b=2) ", "😀 emoji 😀 ", "& < > \" ", "x".repeat(150) + " ", "\n", "\n\n",
        "\n\n```py\nfor i in range(3):\n    print(i)  # < &\n\n    done()\n```\n\n", "\n\n- item one\n- item two\n\n",
        "\n\n> a quote with **bold\nacross** lines\n\n", "\n\n# Heading\n\n", "~~gone~~ "};
    StringBuilder md = new StringBuilder();
    for (int i = random.nextInt(80); i >= 0; i--) {
      md.append(pieces[random.nextInt(pieces.length)]);
    }
    return md.toString();
  }

  @Test
  void randomRepliesSplitIntoWellFormedPartsThatKeepEveryWord() {
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 300; round++) {
      String md = randomReply(random);
      int limit = 80 + random.nextInt(500);
      String whole = String.join("", MessageFormatter.format(md, TELEGRAM_HTML, Integer.MAX_VALUE));
      List<String> html = MessageFormatter.format(md, TELEGRAM_HTML, limit);
      for (String part : html) {
        assertThat(part.length()).as("limit %d: %s", limit, part).isLessThanOrEqualTo(limit);
        assertThat(wellFormedHtml(part)).as("well-formed: %s", part).isTrue();
        assertThat(part).isEqualTo(part.strip()).isNotBlank();
      }
      assertThat(words(String.join("", html))).as("round %d", round).isEqualTo(words(whole));

      List<String> discord = MessageFormatter.format(md, DISCORD, limit);
      for (String part : discord) {
        assertThat(part.length()).isLessThanOrEqualTo(limit);
        assertThat(count(part, "```") % 2).as("fences balanced: %s", part).isZero();
        assertThat(part).isNotBlank();
      }
      assertThat(String.join("", discord).replace("```py", "").replace("```", "").replaceAll("\\s", ""))
          .isEqualTo(md.replace("```py", "").replace("```", "").replaceAll("\\s", ""));
    }
  }

  /** The visible characters of Telegram HTML, without tags and whitespace. */
  private static String words(String html) {
    return TAG.matcher(html).replaceAll("").replaceAll("\\s", "");
  }

  @Test
  void aHundredKilobyteReplyOfManyCodeBlocksStaysWellFormed() {
    String reply = (longReply() + "\n\n").repeat(10);
    List<String> parts = MessageFormatter.format(reply, TELEGRAM_HTML, 4096);
    assertThat(parts.size()).isGreaterThanOrEqualTo(reply.length() / 4096);
    assertThat(parts).allSatisfy(part -> {
      assertThat(part.length()).isLessThanOrEqualTo(4096);
      assertThat(wellFormedHtml(part)).isTrue();
    });
  }
}
