package ai.spacebot.testkit;

import io.vertx.core.json.JsonObject;

/**
 * An error the Discord peer answers a REST call with instead of doing it, shaped as Discord sends it: a 429 with
 * {@code retry_after} in the body, {@code Retry-After} and the {@code X-RateLimit-*} headers (and {@code via}, which
 * JDA looks for to tell a Discord rate limit from a Cloudflare ban); a 403 "Missing Permissions" (50013); a 5xx.
 */
public record DiscordFault(int status, double retryAfterSeconds, int code, String message, boolean afterDoing) {
  public DiscordFault(int status, double retryAfterSeconds, int code, String message) {
    this(status, retryAfterSeconds, code, message, false);
  }

  /**
   * Discord made the message, but its answer never reached the bot: a proxy's 502 after the fact (a timeout or a
   * dropped connection look the same to the bot). The bot's retry must not post it twice.
   */
  public static DiscordFault lostAnswer() {
    return new DiscordFault(502, 0, 0, "502: Bad Gateway", true);
  }

  public static DiscordFault rateLimited(double retryAfterSeconds) {
    return new DiscordFault(429, retryAfterSeconds, 0, "You are being rate limited.");
  }

  public static DiscordFault missingPermissions() {
    return new DiscordFault(403, 0, 50013, "Missing Permissions");
  }

  public static DiscordFault unknownChannel() {
    return new DiscordFault(404, 0, 10003, "Unknown Channel");
  }

  public static DiscordFault serverError() {
    return new DiscordFault(500, 0, 0, "500: Internal Server Error");
  }

  public static DiscordFault badGateway() {
    return new DiscordFault(502, 0, 0, "502: Bad Gateway");
  }

  public static DiscordFault of(int status) {
    return switch (status) {
      case 429 -> rateLimited(1);
      case 403 -> missingPermissions();
      case 404 -> unknownChannel();
      case 502 -> badGateway();
      default -> new DiscordFault(status, 0, 0, status + ": Error");
    };
  }

  JsonObject body() {
    if (status == 429) {
      return DiscordJson.error(code, message).put("retry_after", retryAfterSeconds).put("global", false);
    }
    return DiscordJson.error(code, message);
  }
}
