package ai.spacebot.messaging.discord;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Sees every 429 Discord answers (an interceptor on JDA's HTTP client) and remembers until when each channel, or
 * everything, is rate-limited. JDA waits such limits out itself and sends the request when the bucket resets; a
 * delivery that has waited long enough gives up its request and reports how much longer the platform asked for, so
 * the outbox retries after that instead of holding the delivery open.
 */
final class RateLimitWatch implements Interceptor {
  static final String GLOBAL = "*";
  private static final Pattern CHANNEL = Pattern.compile("/channels/(\\d+)");

  private final Map<String, Long> until = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  RateLimitWatch(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    if (response.code() == 429) {
      long wait = retryAfterMillis(response);
      boolean global = "true".equalsIgnoreCase(response.header("X-RateLimit-Global"))
          || "global".equalsIgnoreCase(response.header("X-RateLimit-Scope"))
          // JDA takes a 429 without a Via header for Cloudflare's ban of the whole client
          || response.header("via") == null;
      Matcher m = CHANNEL.matcher(chain.request().url().encodedPath());
      String key = global || !m.find() ? GLOBAL : m.group(1);
      until.merge(key, clock.getAsLong() + wait, Math::max);
    }
    return response;
  }

  /** How long Discord still wants us to wait before writing to this channel (0 when it does not). */
  long waitMillis(String channelId) {
    long now = clock.getAsLong();
    long end = Math.max(until.getOrDefault(GLOBAL, 0L), channelId == null ? 0L : until.getOrDefault(channelId, 0L));
    return Math.max(0, end - now);
  }

  /** The larger of the Retry-After header (seconds) and the body's {@code retry_after} (seconds, fractional). */
  static long retryAfterMillis(Response response) {
    long header = 0;
    String value = response.header("Retry-After");
    if (value != null) {
      try {
        header = Math.round(Double.parseDouble(value.strip()) * 1000);
      } catch (NumberFormatException e) {
        header = 0;
      }
    }
    long body = 0;
    try {
      String text = response.peekBody(8192).string();
      Object retry = text.isBlank() ? null : new JsonObject(text).getValue("retry_after");
      if (retry instanceof Number n) {
        body = Math.round(n.doubleValue() * 1000);
      }
    } catch (IOException | DecodeException | ClassCastException e) {
      body = 0;
    }
    return Math.max(Math.max(header, body), 1000);
  }
}
