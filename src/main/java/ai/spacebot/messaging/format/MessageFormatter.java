package ai.spacebot.messaging.format;

import java.util.List;

/**
 * The model writes Markdown; each chat adapter sends it in its platform's dialect, in parts no longer than the
 * platform's limit. Telegram gets HTML limited to the tags its Bot API accepts, Discord its own Markdown unchanged,
 * Slack its mrkdwn,
 * plain platforms the words without markup (on one line where a message cannot hold a line break). The parts are in order and together hold the whole text once; each is
 * well-formed on its own (a tag or code block open where a part ends is closed there and reopened in the next).
 */
public final class MessageFormatter {
  private MessageFormatter() {}

  /**
   * @param markdown  the model's text
   * @param maxLength the most characters (UTF-16 units, markup included) one message may have
   * @return the messages to send, in order; empty if there is nothing to say
   */
  public static List<String> format(String markdown, Dialect dialect, int maxLength) {
    if (markdown == null || markdown.isBlank()) {
      return List.of();
    }
    return switch (dialect) {
      case TELEGRAM_HTML -> {
        String html = MarkdownRenderer.telegramHtml(markdown);
        yield Splitter.split(html, TokenMarkup.html(html), maxLength);
      }
      case DISCORD -> Splitter.split(markdown, TokenMarkup.discordFences(markdown), maxLength);
      case SLACK_MRKDWN -> {
        // Slack's code blocks are ``` fences as in Discord's Markdown, so a split closes and reopens them alike.
        String mrkdwn = SlackMrkdwn.render(markdown);
        yield Splitter.split(mrkdwn, TokenMarkup.discordFences(mrkdwn), maxLength);
      }
      case PLAIN -> {
        String plain = MarkdownRenderer.plain(markdown);
        yield Splitter.split(plain, Markup.none(plain), maxLength);
      }
      case PLAIN_LINE -> {
        // Split while the line breaks are there (parts end at a paragraph or a line, as in PLAIN), then join each
        // part's lines: a part only gets shorter, and a code line is not cut in two.
        String plain = MarkdownRenderer.plain(markdown);
        yield Splitter.split(plain, Markup.none(plain), maxLength).stream()
            .map(part -> part.replaceAll("[ \\t]*\\R\\s*", " ").strip()).filter(part -> !part.isEmpty()).toList();
      }
    };
  }
}
