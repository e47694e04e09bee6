package ai.spacebot.testkit;

import io.vertx.core.json.JsonObject;

/**
 * One failed Bot API answer, exactly as Telegram (or the proxy in front of it) sends it: status, content type,
 * body. Use with {@link TelegramPeer#failNext}.
 */
public record TelegramFault(int status, String contentType, String body) {
  private static final String JSON = "application/json";

  /** 429 with {@code parameters.retry_after}: the flood limit. */
  public static TelegramFault tooManyRequests(int retryAfterSeconds) {
    return new TelegramFault(429, JSON, new JsonObject().put("ok", false).put("error_code", 429)
        .put("description", "Too Many Requests: retry after " + retryAfterSeconds)
        .put("parameters", new JsonObject().put("retry_after", retryAfterSeconds)).encode());
  }

  /** 403: the user blocked the bot (a permanent failure for that chat). */
  public static TelegramFault blockedByUser() {
    return error(403, "Forbidden: bot was blocked by the user");
  }

  /** 500 as the Bot API answers an internal error. */
  public static TelegramFault internalServerError() {
    return error(500, "Internal Server Error");
  }

  /** 502 from the front proxy while the Bot API restarts: an HTML page, not JSON. */
  public static TelegramFault badGateway() {
    return new TelegramFault(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
        + "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n");
  }

  /** Any Bot API error in Telegram's JSON shape. */
  public static TelegramFault error(int code, String description) {
    return new TelegramFault(code, JSON, body(code, description));
  }

  static String body(int code, String description) {
    return new JsonObject().put("ok", false).put("error_code", code).put("description", description).encode();
  }
}
