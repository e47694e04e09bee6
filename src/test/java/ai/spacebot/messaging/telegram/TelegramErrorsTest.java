package ai.spacebot.messaging.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.DeliveryFailure;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Bot API error answers, read by TelegramBots exactly as the client reads them, and what each means for a delivery.
 */
class TelegramErrorsTest {
  /** What the client throws for this HTTP body. */
  private static Throwable answer(String body) {
    try {
      new SendMessage("1", "x").deserializeResponse(body);
    } catch (TelegramApiRequestException e) {
      return new CompletionException(e);
    }
    throw new AssertionError("expected an error for " + body);
  }

  private static DeliveryFailure delivery(Throwable err) {
    return TelegramErrors.forDelivery("sendMessage", err).failure();
  }

  @Test
  void tooManyRequestsWaitsWhatTelegramNames() {
    DeliveryFailure f = delivery(answer("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\","
        + "\"parameters\":{\"retry_after\":3}}"));
    assertThat(f.code()).isEqualTo(DeliveryFailure.RATE_LIMITED);
    assertThat(f.retryAfterMillis()).isEqualTo(3000);
    assertThat(f.error()).contains("Too Many Requests").contains("429");
  }

  @Test
  void tooManyRequestsWithoutAWaitWaitsASecond() {
    DeliveryFailure f = delivery(answer("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests\"}"));
    assertThat(f.code()).isEqualTo(DeliveryFailure.RATE_LIMITED);
    assertThat(f.retryAfterMillis()).isEqualTo(1000);
  }

  @Test
  void forbiddenAndBadRequestsArePermanent() {
    DeliveryFailure blocked = delivery(answer("{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}"));
    assertThat(blocked.isPermanent()).isTrue();
    assertThat(blocked.error()).isEqualTo("Telegram sendMessage: Forbidden: bot was blocked by the user (403)");

    assertThat(delivery(answer("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}"))
        .isPermanent()).isTrue();
    assertThat(delivery(answer("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: REACTION_INVALID\"}"))
        .isPermanent()).isTrue();
  }

  @Test
  void serverErrorsIoAndUnreadableAnswersAreTransient() {
    assertThat(delivery(answer("{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}")).code())
        .isEqualTo(DeliveryFailure.TRANSIENT);
    DeliveryFailure html = delivery(answer("<html><body>502 Bad Gateway</body></html>"));
    assertThat(html.code()).isEqualTo(DeliveryFailure.TRANSIENT);
    assertThat(html.error()).contains("Unable to deserialize response");
    assertThat(delivery(new CompletionException(new ConnectException("Connection refused"))).code())
        .isEqualTo(DeliveryFailure.TRANSIENT);
    assertThat(TelegramErrors.code(answer("<html/>"))).isNull();
  }

  @Test
  void onlyUnparseableEntitiesAskForAPlainResend() {
    assertThat(TelegramErrors.cannotParseEntities(answer("{\"ok\":false,\"error_code\":400,\"description\":"
        + "\"Bad Request: can't parse entities: Unsupported start tag \\\"foo\\\" at byte offset 0\"}"))).isTrue();
    assertThat(TelegramErrors.cannotParseEntities(answer("{\"ok\":false,\"error_code\":400,\"description\":"
        + "\"Bad Request: chat not found\"}"))).isFalse();
  }

  @Test
  void htmlFallsBackToTheWordsAPersonReads() {
    assertThat(HtmlText.toPlain("<b>Build</b> &amp; <i>ship</i>: <a href=\"https://x.dev/a?b=1&amp;c=2\">docs</a> "
        + "&lt;tag&gt; <pre><code class=\"language-sh\">ls -l</code></pre>"))
        .isEqualTo("Build & ship: docs (https://x.dev/a?b=1&c=2) <tag> ls -l");
  }

  @Test
  void messageIdsAreTelegramIntegersOnly() {
    assertThat(TelegramSender.messageId("123")).isEqualTo(123);
    assertThat(TelegramSender.messageId("cb:4411")).isNull();
    assertThat(TelegramSender.messageId(null)).isNull();
    assertThat(TelegramSender.messageId("99999999999")).isNull();
  }

  @Test
  void aCardIsMarkdownTheFormatterRenders() {
    var card = new ai.spacebot.bus.RichReply.Card("Release 1.4", "Ready to ship.",
        java.util.List.of(new ai.spacebot.bus.RichReply.Field("Tests", "812 passed", true)), null, "https://ci.example/1");
    assertThat(TelegramSender.cardMarkdown(card))
        .isEqualTo("**[Release 1.4](https://ci.example/1)**\n\nReady to ship.\n\n- **Tests:** 812 passed");
    java.util.List<String> html = ai.spacebot.messaging.format.MessageFormatter.format(TelegramSender.cardMarkdown(card),
        ai.spacebot.messaging.format.Dialect.TELEGRAM_HTML, TelegramSender.MAX_LENGTH);
    assertThat(html).containsExactly(
        "<b><a href=\"https://ci.example/1\">Release 1.4</a></b>\n\nReady to ship.\n\n• <b>Tests:</b> 812 passed");
    assertThat(HtmlText.toPlain(html.get(0)))
        .isEqualTo("Release 1.4 (https://ci.example/1)\n\nReady to ship.\n\n• Tests: 812 passed");
  }
}
