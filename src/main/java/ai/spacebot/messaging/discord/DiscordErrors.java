package ai.spacebot.messaging.discord;

import ai.spacebot.messaging.DeliveryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.PermissionException;
import net.dv8tion.jda.api.exceptions.RateLimitedException;
import net.dv8tion.jda.api.requests.ErrorResponse;

/**
 * What a failed Discord call means for a delivery. JDA has already waited out short 429s per bucket and retried
 * 502/503/504 three times by the time an error reaches us, so what arrives here is either final (a 4xx: the bot may
 * not write there, the channel or message is gone, the request is wrong) or worth a later try (5xx, I/O, timeouts).
 */
final class DiscordErrors {
  private DiscordErrors() {}

  /** The delivery failure for an error of the call that did {@code what} ("send a message", "add a reaction"). */
  static DeliveryException map(Throwable err, String what) {
    Throwable e = unwrap(err);
    if (e instanceof DeliveryException de) {
      return de;
    }
    if (e instanceof ErrorResponseException ere) {
      return fromResponse(ere, what);
    }
    if (e instanceof RateLimitedException rle) {
      return DeliveryException.rateLimited("Discord rate-limited " + what + " (retry after " + rle.getRetryAfter()
          + " ms)", rle.getRetryAfter());
    }
    if (e instanceof PermissionException pe) {
      return DeliveryException.permanent("the bot lacks the Discord permission " + pe.getPermission().getName()
          + " to " + what + "; grant it to the bot's role in that channel");
    }
    if (e instanceof TimeoutException || e instanceof IOException || e instanceof UncheckedIOException
        || e instanceof CancellationException || e instanceof RejectedExecutionException) {
      return DeliveryException.transientFailure("could not " + what + " on Discord: " + describe(e));
    }
    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
        || e instanceof UnsupportedOperationException) {
      // JDA checks requests locally (lengths, component limits): sending it again cannot work.
      return DeliveryException.permanent("Discord cannot " + what + ": " + describe(e));
    }
    return DeliveryException.transientFailure("could not " + what + " on Discord: " + describe(e));
  }

  private static DeliveryException fromResponse(ErrorResponseException e, String what) {
    if (networkCause(e) != null) {
      return DeliveryException.transientFailure("could not " + what + ": " + unreachable(e, null));
    }
    int status = e.getResponse() == null ? 0 : e.getResponse().code;
    if (e.isServerError() || status >= 500 || e.getErrorResponse() == ErrorResponse.SERVER_ERROR) {
      return DeliveryException.transientFailure("Discord answered " + (status > 0 ? status : "a server error")
          + " to " + what);
    }
    if (status == 429) {
      long wait = e.getResponse().retryAfter > 0 ? e.getResponse().retryAfter : 1000;
      return DeliveryException.rateLimited("Discord rate-limited " + what, wait);
    }
    String why = switch (e.getErrorResponse()) {
      case MISSING_PERMISSIONS -> "the bot lacks a permission for this (Discord 50013 Missing Permissions): give its "
          + "role View Channel, Send Messages, Send Messages in Threads, Create Public Threads, Embed Links, Attach "
          + "Files and Add Reactions there";
      case MISSING_ACCESS -> "the bot cannot see this channel (Discord 50001 Missing Access): give its role View "
          + "Channel there";
      case UNKNOWN_CHANNEL -> "the Discord channel no longer exists or the bot was removed from it (10003)";
      case UNKNOWN_MESSAGE -> "the Discord message no longer exists (10008)";
      case CANNOT_SEND_TO_USER -> "Discord does not let the bot message this user: they share no server or "
          + "blocked DMs (50007)";
      default -> "Discord refused it: " + e.getMeaning() + " (" + e.getErrorCode() + (status > 0 ? ", HTTP " + status
          : "") + ")";
    };
    return DeliveryException.permanent("could not " + what + ": " + why);
  }

  /**
   * The I/O failure behind an error JDA reports when no answer came at all (it wraps it in an
   * {@code ErrorResponseException} with code -1), or null when Discord answered.
   */
  static Exception networkCause(Throwable err) {
    Throwable e = unwrap(err);
    if (e instanceof ErrorResponseException ere && ere.getResponse() != null
        && ere.getResponse().getException() != null) {
      return ere.getResponse().getException();
    }
    return e instanceof IOException io ? io : null;
  }

  /** "cannot reach Discord at URL: DNS lookup failed (discord.com)", for an operator; null URL leaves it out. */
  static String unreachable(Throwable err, String url) {
    Exception cause = networkCause(err);
    String why = cause instanceof java.net.UnknownHostException ? "DNS lookup failed (" + describe(cause) + ")"
        : cause instanceof java.net.ConnectException ? "connection refused (" + describe(cause) + ")"
        : cause != null ? describe(cause) : describe(unwrap(err));
    return "cannot reach Discord" + (url == null ? "" : " at " + url) + ": " + why;
  }

  static Throwable unwrap(Throwable err) {
    Throwable e = err;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName()
        : message.strip().lines().findFirst().orElse(message);
  }
}
