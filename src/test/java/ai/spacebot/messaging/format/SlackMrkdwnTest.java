package ai.spacebot.messaging.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Markdown to Slack mrkdwn: Slack's own marks, links in angle brackets, and &, <, > always escaped. */
class SlackMrkdwnTest {
  @Test
  void emphasisBecomesSlacksMarks() {
    assertThat(SlackMrkdwn.render("**bold**, *italic*, _also italic_, ~~gone~~ and `code`"))
        .isEqualTo("*bold*, _italic_, _also italic_, ~gone~ and `code`");
  }

  @Test
  void linksAreAngleBracketedWithTheirLabel() {
    assertThat(SlackMrkdwn.render("see [the docs](https://example.org/a?b=1&c=2) or https://x.y"))
        .isEqualTo("see <https://example.org/a?b=1&amp;c=2|the docs> or https://x.y");
    assertThat(SlackMrkdwn.render("[mail](mailto:a@b.c)")).isEqualTo("<mailto:a@b.c|mail>");
    // A destination Slack cannot link is shown as text, escaped.
    assertThat(SlackMrkdwn.render("[run](javascript:alert(1))")).isEqualTo("run (javascript:alert(1))");
  }

  @Test
  void controlCharactersAreEscapedEverywhereSoTextCannotMentionOrLink() {
    assertThat(SlackMrkdwn.render("a < b && c > d <!channel> <@U123>"))
        .isEqualTo("a &lt; b &amp;&amp; c &gt; d &lt;!channel&gt; &lt;@U123&gt;");
    assertThat(SlackMrkdwn.render("`x<y>&z`")).isEqualTo("`x&lt;y&gt;&amp;z`");
  }

  @Test
  void codeBlocksKeepTheirLinesWithoutALanguage() {
    assertThat(SlackMrkdwn.render("Here:\n\n```java\nint a = b < c;\n```\n\nDone."))
        .isEqualTo("Here:\n\n```\nint a = b &lt; c;\n```\n\nDone.");
  }

  @Test
  void listsHeadingsAndQuotes() {
    assertThat(SlackMrkdwn.render("# Title\n\n- one\n- **two**\n\n1. first\n2. second\n\n> quoted\n> lines"))
        .isEqualTo("*Title*\n\n• one\n• *two*\n\n1. first\n2. second\n\n> quoted\n> lines");
  }

  @Test
  void theFormatterSplitsMrkdwnWithCodeBlocksClosedAndReopened() {
    StringBuilder md = new StringBuilder("Intro\n\n```\n");
    for (int i = 0; i < 100; i++) {
      md.append("line ").append(i).append(" <tag>\n");
    }
    md.append("```\n");
    List<String> parts = MessageFormatter.format(md.toString(), Dialect.SLACK_MRKDWN, 600);
    assertThat(parts.size()).isGreaterThan(1);
    for (String p : parts) {
      assertThat(p.length()).isLessThanOrEqualTo(600);
      assertThat(p.split("```", -1).length % 2).as("fences pair up in %s", p).isEqualTo(1);
    }
    String all = String.join("\n", parts);
    assertThat(all).contains("line 0 &lt;tag&gt;").contains("line 99 &lt;tag&gt;").doesNotContain("<tag>");
  }
}
