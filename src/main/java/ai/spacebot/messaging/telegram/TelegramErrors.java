package ai.spacebot.messaging.telegram;

import ai.spacebot.messaging.DeliveryException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiValidationException;

/**
 * What a Telegram failure means for a delivery. The Bot API answers errors as {@code {ok:false, error_code,
 * description, parameters:{retry_after}}}, which TelegramBots turns into a {@link TelegramApiRequestException}:
 * 429 waits what {@code retry_after} says; 400 (bad request: chat not found, message to reply to not found, a
 * reaction Telegram does not allow), 401, 403 (blocked, kicked) and 404 cannot get better by retrying; 5xx, I/O and an
 * unreadable answer (a proxy's HTML error page) can.
 */
final class TelegramErrors {
  /** When Telegram says 429 but names no wait. */
  static final long DEFAULT_RETRY_AFTER_MS = 1000;

  private TelegramErrors() {}

  static Throwable unwrap(Throwable err) {
    Throwable e = err;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The Bot API's error code, or null when the failure is not an API answer (I/O, an unreadable body). */
  static Integer code(Throwable err) {
    // TelegramBots leaves 0 when the answer was not an API error at all (an unreadable body).
    return unwrap(err) instanceof TelegramApiRequestException r && r.getErrorCode() != null && r.getErrorCode() != 0
        ? r.getErrorCode() : null;
  }

  /** Telegram's words for it ("Forbidden: bot was blocked by the user (403)"), or the I/O failure. */
  static String describe(Throwable err) {
    Throwable e = unwrap(err);
    if (e instanceof TelegramApiRequestException r && code(r) != null) {
      return (r.getApiResponse() == null ? "error" : r.getApiResponse()) + " (" + r.getErrorCode() + ")";
    }
    String message = e.getMessage();
    if (e instanceof TelegramApiRequestException && e.getCause() != null) {
      // "Unable to deserialize response": the cause says what was wrong with the body.
      message = message + ": " + e.getCause().getMessage();
    }
    String first = message == null ? "" : message.strip().lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
  }

  /** HTML Telegram could not parse: the part is sent once more as plain text. */
  static boolean cannotParseEntities(Throwable err) {
    Throwable e = unwrap(err);
    return e instanceof TelegramApiRequestException r && Integer.valueOf(400).equals(r.getErrorCode())
        && r.getApiResponse() != null && r.getApiResponse().toLowerCase(Locale.ROOT).contains("can't parse entities");
  }

  /** A delivery step's failure as the outbox understands it. */
  static DeliveryException forDelivery(String method, Throwable err) {
    Throwable e = unwrap(err);
    if (e instanceof DeliveryException de) {
      return de;
    }
    String what = "Telegram " + method + ": " + describe(e);
    if (e instanceof TelegramApiValidationException) {
      return DeliveryException.permanent(what);
    }
    Integer code = code(e);
    if (code == null) {
      return DeliveryException.transientFailure(what);
    }
    if (code == 429) {
      TelegramApiRequestException r = (TelegramApiRequestException) e;
      Integer seconds = r.getParameters() == null ? null : r.getParameters().getRetryAfter();
      return DeliveryException.rateLimited(what, seconds == null ? DEFAULT_RETRY_AFTER_MS : seconds * 1000L);
    }
    if (code >= 400 && code < 500) {
      return DeliveryException.permanent(what);
    }
    return DeliveryException.transientFailure(what);
  }

  static boolean isIo(Throwable err) {
    return unwrap(err) instanceof IOException;
  }
}
