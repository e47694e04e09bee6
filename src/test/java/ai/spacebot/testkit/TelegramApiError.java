package ai.spacebot.testkit;

/** A Bot API refusal: HTTP status = error_code, and Telegram's description text. */
final class TelegramApiError extends Exception {
  final int code;

  TelegramApiError(int code, String description) {
    super(description, null, false, false);
    this.code = code;
  }

  static TelegramApiError badRequest(String what) {
    return new TelegramApiError(400, "Bad Request: " + what);
  }
}
