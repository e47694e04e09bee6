package ai.spacebot.llm.resilience;

import ai.spacebot.llm.ContextOverflow;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * What went wrong with one model call, as far as retrying and falling back are concerned.
 *
 * @param kind the class of failure
 * @param status the HTTP status, or 0 when the failure was not an HTTP answer
 * @param retryAfter the provider's Retry-After, or null
 * @param brief a one-line description for logs, usage records and the all-models-failed message
 */
public record Failure(Kind kind, int status, Duration retryAfter, String brief) {

  public enum Kind {
    /** 429: retried (honouring Retry-After), then the model cools down and the fallback is tried. */
    RATE_LIMIT(true, true),
    /** Out of quota, credit or billing: no retries, a long cooldown, the fallback at once. */
    QUOTA(false, true),
    /** 5xx (529 "overloaded" included). */
    SERVER(true, true),
    /** No answer in time (408, the HTTP client's timeout, the first-token watchdog). */
    TIMEOUT(true, true),
    /** Could not connect, or the connection broke. */
    CONNECTION(true, true),
    /** The answer was empty or could not be decoded. */
    BAD_RESPONSE(true, true),
    /** 404: this model id is unknown to its provider; another model may work. */
    NOT_FOUND(false, true),
    /** The request itself is wrong (400, 401, 403, context too long...): the same error everywhere. */
    FATAL(false, false),
    /** The provider's key waits for the locked secret store: no retries, the fallback at once, no breaker count. */
    WAITING(false, true),
    /** Anything else; treated like a transient failure. */
    UNKNOWN(true, true);

    private final boolean retriable;
    private final boolean fallsBack;

    Kind(boolean retriable, boolean fallsBack) {
      this.retriable = retriable;
      this.fallsBack = fallsBack;
    }

    public boolean retriable() {
      return retriable;
    }

    public boolean fallsBack() {
      return fallsBack;
    }
  }

  private static final String[] QUOTA_MARKERS = {
      "insufficient_quota", "exceeded your current quota", "credit balance is too low", "insufficient credits",
      "insufficient_credits", "billing_hard_limit", "billing hard limit", "check your plan and billing",
      "purchase more credits", "payment required"};

  private static final int BRIEF_MAX = 160;

  public boolean retriable() {
    return kind.retriable;
  }

  public boolean fallsBack() {
    return kind.fallsBack;
  }

  /** Classifies a model call's error by its cause chain (LangChain4j wraps the HTTP answer or I/O error). */
  public static Failure classify(Throwable error) {
    HttpException http = find(error, HttpException.class);
    Duration retryAfter = RetryAfter.of(error);
    if (http != null) {
      int status = http.statusCode();
      String body = http.getMessage();
      String brief = shorten(status + " " + message(body));
      if (isQuota(error) && status < 500) {
        return new Failure(Kind.QUOTA, status, retryAfter, brief);
      }
      if (status == 429) {
        return new Failure(Kind.RATE_LIMIT, status, retryAfter, brief);
      }
      if (status == 408) {
        return new Failure(Kind.TIMEOUT, status, retryAfter, brief);
      }
      if (status >= 500) {
        return new Failure(Kind.SERVER, status, retryAfter, brief);
      }
      if (status == 404 && !ContextOverflow.is(error)) {
        return new Failure(Kind.NOT_FOUND, status, null, brief);
      }
      if (status >= 400) {
        return new Failure(Kind.FATAL, status, null, brief);
      }
      return new Failure(Kind.UNKNOWN, status, retryAfter, brief);
    }
    Throwable waiting = find(error, ai.spacebot.llm.WaitingForSecretException.class);
    if (waiting != null) {
      // Its message is written for the people in the chat; the class name would only puzzle them.
      return new Failure(Kind.WAITING, 0, null, shorten(waiting.getMessage()));
    }
    if (error instanceof EmptyResponseException) {
      return new Failure(Kind.BAD_RESPONSE, 0, null, text(error));
    }
    if (isQuota(error)) {
      return new Failure(Kind.QUOTA, 0, null, text(error));
    }
    if (ContextOverflow.is(error)) {
      return new Failure(Kind.FATAL, 0, null, text(error));
    }
    if (find(error, TimeoutException.class) != null || find(error, SocketTimeoutException.class) != null
        || find(error, dev.langchain4j.exception.TimeoutException.class) != null
        || find(error, java.net.http.HttpTimeoutException.class) != null || hasClassNamed(error, "ConnectTimeoutException")) {
      return new Failure(Kind.TIMEOUT, 0, null, "timeout: " + text(error));
    }
    if (find(error, ConnectException.class) != null || find(error, UnknownHostException.class) != null
        || find(error, UnresolvedAddressException.class) != null
        || find(error, dev.langchain4j.exception.UnresolvedModelServerException.class) != null
        || find(error, io.vertx.core.http.HttpClosedException.class) != null
        || find(error, IOException.class) != null || mentions(error, "connection was closed")
        || mentions(error, "connection reset")) {
      return new Failure(Kind.CONNECTION, 0, null, "connection: " + text(error));
    }
    if (hasClassNamed(error, "JsonProcessingException") || hasClassNamed(error, "JsonParseException")
        || find(error, io.vertx.core.json.DecodeException.class) != null) {
      return new Failure(Kind.BAD_RESPONSE, 0, null, "undecodable response: " + text(error));
    }
    if (find(error, NonRetriableException.class) != null) {
      return new Failure(Kind.FATAL, 0, null, text(error));
    }
    return new Failure(Kind.UNKNOWN, 0, null, text(error));
  }

  /** Out of quota, credit or billing, told apart from a plain rate limit only by the message. */
  public static boolean isQuota(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      String msg = e.getMessage();
      if (msg != null) {
        String lower = msg.toLowerCase(Locale.ROOT);
        for (String marker : QUOTA_MARKERS) {
          if (lower.contains(marker)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The error message of a provider's JSON error body ({@code error.message} or {@code message}), else the body. */
  static String message(String body) {
    if (body == null || body.isBlank()) {
      return "(no body)";
    }
    String msg = body.strip();
    if (msg.startsWith("{")) {
      try {
        JsonObject json = new JsonObject(msg);
        Object err = json.getValue("error");
        if (err instanceof JsonObject e && e.getString("message") != null) {
          msg = e.getString("message");
        } else if (err instanceof String s) {
          msg = s;
        } else if (json.getString("message") != null) {
          msg = json.getString("message");
        }
      } catch (RuntimeException notJson) {
        // keep the raw body
      }
    }
    return shorten(msg);
  }

  private static String text(Throwable error) {
    Throwable root = error;
    String msg = null;
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      root = e;
      if (e.getMessage() != null && !e.getMessage().isBlank()) {
        msg = e.getMessage();
      }
    }
    return shorten(root.getClass().getSimpleName() + (msg == null ? "" : " " + msg));
  }

  private static String shorten(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= BRIEF_MAX ? one : one.substring(0, BRIEF_MAX - 1) + "…";
  }

  private static boolean mentions(Throwable error, String phrase) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains(phrase)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasClassNamed(Throwable error, String simpleName) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getSimpleName().equals(simpleName)) {
          return true;
        }
      }
    }
    return false;
  }

  static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
    return null;
  }
}
