package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.DeliveryFailure;
import ai.spacebot.messaging.DeliveryException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.RateLimitedException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.Response;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

class DiscordErrorsTest {
  /** What JDA builds from Discord's answer: an HTTP status and the JSON error code in the body. */
  static ErrorResponseException discord(int status, int code, String message) {
    String body = "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
    okhttp3.Response raw = new okhttp3.Response.Builder()
        .request(new Request.Builder().url("http://127.0.0.1/api/v10/channels/1/messages").build())
        .protocol(Protocol.HTTP_1_1).code(status).message(message)
        .body(ResponseBody.create(body, MediaType.get("application/json"))).build();
    Response response = new Response(raw, status, message, -1, Set.of());
    return ErrorResponseException.create(ErrorResponse.fromCode(code), response);
  }

  static DeliveryFailure map(Throwable err) {
    return DiscordErrors.map(err, "send a message").failure();
  }

  @Test
  void permissionAndMissingThingsArePermanentAndSayWhatToFix() {
    DeliveryFailure noPerm = map(discord(403, 50013, "Missing Permissions"));
    assertThat(noPerm.isPermanent()).isTrue();
    assertThat(noPerm.error()).contains("50013", "Send Messages");
    assertThat(map(discord(403, 50001, "Missing Access")).error()).contains("View Channel");
    assertThat(map(discord(404, 10003, "Unknown Channel")).isPermanent()).isTrue();
    assertThat(map(discord(404, 10008, "Unknown Message")).isPermanent()).isTrue();
    assertThat(map(discord(403, 50007, "Cannot send messages to this user")).error()).contains("50007");
    assertThat(map(discord(400, 50035, "Invalid Form Body")).isPermanent()).isTrue();
  }

  @Test
  void serverErrorsTimeoutsAndIoAreRetried() {
    assertThat(map(discord(500, 0, "Internal Server Error")).code()).isEqualTo(DeliveryFailure.TRANSIENT);
    assertThat(map(discord(503, 0, "Service Unavailable")).code()).isEqualTo(DeliveryFailure.TRANSIENT);
    assertThat(map(new TimeoutException("RestAction has timed out")).code()).isEqualTo(DeliveryFailure.TRANSIENT);
    assertThat(map(new SocketTimeoutException("read timed out")).code()).isEqualTo(DeliveryFailure.TRANSIENT);
    assertThat(map(new CompletionException(new IOException("reset"))).code()).isEqualTo(DeliveryFailure.TRANSIENT);
  }

  @Test
  void noAnswerAtAllIsRetriedAndSaysDiscordWasNotReached() {
    // what JDA reports when the request never got an answer: code -1 around the I/O failure
    ErrorResponseException dns = ErrorResponseException.create(ErrorResponse.SERVER_ERROR,
        new Response(new java.net.UnknownHostException("discord.com"), Set.of()));
    DeliveryFailure failure = map(dns);
    assertThat(failure.code()).isEqualTo(DeliveryFailure.TRANSIENT);
    assertThat(failure.error()).contains("cannot reach Discord").contains("DNS lookup failed (discord.com)");
    assertThat(DiscordErrors.unreachable(dns, "https://discord.com/api/v10/"))
        .isEqualTo("cannot reach Discord at https://discord.com/api/v10/: DNS lookup failed (discord.com)");
  }

  @Test
  void aRateLimitThatReachesUsCarriesItsWait() {
    DeliveryFailure f = map(new RateLimitedException("channels/1/messages", 7_500));
    assertThat(f.code()).isEqualTo(DeliveryFailure.RATE_LIMITED);
    assertThat(f.retryAfterMillis()).isEqualTo(7_500);
  }

  @Test
  void requestsJdaRefusesLocallyCannotSucceedLater() {
    assertThat(map(new IllegalArgumentException("Content may not be longer than 2000")).isPermanent()).isTrue();
    DeliveryException already = DeliveryException.permanent("x");
    assertThat(DiscordErrors.map(new CompletionException(already), "send")).isSameAs(already);
  }
}
