package ai.spacebot.messaging.slack;

import ai.spacebot.messaging.DeliveryException;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a failed Slack call means for a delivery. Slack answers most refusals with HTTP 200 and {@code ok: false}
 * and an error code; a 429 carries {@code Retry-After} (seconds); 5xx and I/O errors are worth another try; the rest
 * (the bot is not in the channel, the channel is gone, a bad token) only an operator can fix.
 */
final class SlackErrors {
  /** Codes Slack documents as temporary. */
  private static final Set<String> TRANSIENT = Set.of("internal_error", "fatal_error", "service_unavailable",
      "request_timeout", "team_added_to_org", "ekm_access_denied");
  /** A wait when Slack asks for one without saying how long. */
  static final long DEFAULT_WAIT_MS = 1000;

  private SlackErrors() {}

  /** Throws the delivery failure for a response with {@code ok: false}; returns it when it is fine. */
  static <T extends SlackApiTextResponse> T check(T response, String what) {
    if (response.isOk()) {
      return response;
    }
    throw fromCode(response.getError(), what, response.getNeeded());
  }

  static DeliveryException fromCode(String error, String what, String needed) {
    if ("ratelimited".equals(error) || "rate_limited".equals(error)) {
      return DeliveryException.rateLimited("Slack rate-limited " + what, DEFAULT_WAIT_MS);
    }
    if (TRANSIENT.contains(error)) {
      return DeliveryException.transientFailure("Slack answered " + error + " to " + what);
    }
    String why = switch (error == null ? "" : error) {
      case "not_in_channel" -> "the bot is not in this channel: invite it (/invite @yourbot) or add chat:write.public";
      case "channel_not_found" -> "the channel does not exist or the bot cannot see it";
      case "is_archived" -> "the channel is archived";
      case "invalid_auth", "not_authed", "token_revoked", "account_inactive" -> "Slack refused the bot token ("
          + error + ")";
      case "missing_scope" -> "the app lacks the scope " + (needed == null ? "it needs" : needed)
          + "; add it under OAuth & Permissions and reinstall the app";
      case "msg_too_long" -> "the message is too long for Slack";
      case "restricted_action" -> "the workspace does not let the bot post here";
      default -> "Slack refused it (" + error + ")";
    };
    return DeliveryException.permanent("could not " + what + ": " + why);
  }

  /** The delivery failure for an exception of the call that did {@code what}. */
  static DeliveryException map(Throwable err, String what) {
    Throwable e = unwrap(err);
    if (e instanceof DeliveryException de) {
      return de;
    }
    if (e instanceof SlackApiException api) {
      int status = api.getResponse().code();
      if (status == 429) {
        return DeliveryException.rateLimited("Slack rate-limited " + what + " (HTTP 429)", retryAfter(
            api.getResponse().header("Retry-After")));
      }
      if (status >= 500) {
        return DeliveryException.transientFailure("Slack answered HTTP " + status + " to " + what);
      }
      if (api.getError() != null && api.getError().getError() != null) {
        return fromCode(api.getError().getError(), what, api.getError().getNeeded());
      }
      return DeliveryException.permanent("could not " + what + ": Slack answered HTTP " + status);
    }
    if (e instanceof IOException) {
      return DeliveryException.transientFailure("could not " + what + " on Slack: " + describe(e));
    }
    return DeliveryException.transientFailure("could not " + what + " on Slack: " + describe(e));
  }

  static long retryAfter(String header) {
    try {
      return header == null ? DEFAULT_WAIT_MS : Math.max(0, Long.parseLong(header.strip())) * 1000;
    } catch (NumberFormatException e) {
      return DEFAULT_WAIT_MS;
    }
  }

  static Throwable unwrap(Throwable err) {
    Throwable e = err;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isBlank() ? ""
        : ": " + message.strip().lines().findFirst().orElse(""));
  }
}
