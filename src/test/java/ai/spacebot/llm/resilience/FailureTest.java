package ai.spacebot.llm.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.ResilienceSettings;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import io.github.resilience4j.retry.Retry;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How model-call errors (as LangChain4j hands them over) decide retries and fallbacks. */
class FailureTest {

  private static String body(String message, String code) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", code).put("code", code))
        .encode();
  }

  private static Throwable http(int status, String body) {
    return http(status, body, null);
  }

  private static Throwable http(int status, String body, Duration retryAfter) {
    ProviderHttpException cause = new ProviderHttpException(status, body, retryAfter);
    return switch (status) {
      case 429 -> new RateLimitException(cause);
      case 401, 403 -> new AuthenticationException(cause);
      case 404 -> new ModelNotFoundException(cause);
      default -> status >= 500 ? new InternalServerException(cause) : new InvalidRequestException(cause);
    };
  }

  @Test
  void rateLimitIsRetriedAndFallsBack() {
    Failure f = Failure.classify(http(429, body("Rate limit reached", "rate_limit_exceeded"), Duration.ofSeconds(2)));
    assertThat(f.kind()).isEqualTo(Failure.Kind.RATE_LIMIT);
    assertThat(f.retriable()).isTrue();
    assertThat(f.fallsBack()).isTrue();
    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(f.brief()).isEqualTo("429 Rate limit reached");
  }

  @Test
  void quotaIsToldApartByTheBody() {
    Failure openAi = Failure.classify(http(429, body("You exceeded your current quota, please check your plan", "insufficient_quota")));
    assertThat(openAi.kind()).isEqualTo(Failure.Kind.QUOTA);
    assertThat(openAi.retriable()).isFalse();
    assertThat(openAi.fallsBack()).isTrue();
    // Anthropic says it with a 400
    Failure anthropic = Failure.classify(http(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"message\":\"Your credit balance is too low to access the Anthropic API.\"}}"));
    assertThat(anthropic.kind()).isEqualTo(Failure.Kind.QUOTA);
    assertThat(anthropic.brief()).contains("credit balance is too low");
  }

  @Test
  void serverErrorsAreRetried() {
    assertThat(Failure.classify(http(502, "Bad gateway")).kind()).isEqualTo(Failure.Kind.SERVER);
    assertThat(Failure.classify(http(503, "")).kind()).isEqualTo(Failure.Kind.SERVER);
    assertThat(Failure.classify(http(529, body("Overloaded", "overloaded_error"))).retriable()).isTrue();
  }

  @Test
  void badRequestsAuthAndOverflowFailAtOnce() {
    for (Throwable t : new Throwable[] {
        http(400, body("Invalid value for 'messages'", "invalid_request_error")),
        http(401, body("Incorrect API key provided", "invalid_api_key")),
        http(403, body("Forbidden", "permission_denied")),
        http(400, body("This model's maximum context length is 8192 tokens", "context_length_exceeded"))}) {
      Failure f = Failure.classify(t);
      assertThat(f.kind()).as(t.getCause().getMessage()).isEqualTo(Failure.Kind.FATAL);
      assertThat(f.retriable()).isFalse();
      assertThat(f.fallsBack()).isFalse();
    }
    assertThat(Failure.classify(new RuntimeException("prompt is too long: 210000 tokens")).kind())
        .isEqualTo(Failure.Kind.FATAL);
  }

  @Test
  void unknownModelFallsBackWithoutRetries() {
    Failure f = Failure.classify(http(404, body("The model `x` does not exist", "model_not_found")));
    assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND);
    assertThat(f.retriable()).isFalse();
    assertThat(f.fallsBack()).isTrue();
  }

  @Test
  void timeoutsConnectionErrorsAndEmptyAnswersAreRetried() {
    assertThat(Failure.classify(new LangChain4jException(new TimeoutException("idle"))).kind()).isEqualTo(Failure.Kind.TIMEOUT);
    assertThat(Failure.classify(new dev.langchain4j.exception.TimeoutException("t")).kind()).isEqualTo(Failure.Kind.TIMEOUT);
    assertThat(Failure.classify(new LangChain4jException(new ConnectException("Connection refused"))).kind())
        .isEqualTo(Failure.Kind.CONNECTION);
    assertThat(Failure.classify(new HttpClosedException("Connection was closed")).kind()).isEqualTo(Failure.Kind.CONNECTION);
    assertThat(Failure.classify(new EmptyResponseException("empty")).kind()).isEqualTo(Failure.Kind.BAD_RESPONSE);
    assertThat(Failure.classify(new io.vertx.core.json.DecodeException("bad json")).kind()).isEqualTo(Failure.Kind.BAD_RESPONSE);
    assertThat(Failure.classify(new IllegalStateException("something odd")).retriable()).isTrue();
  }

  @Test
  void plainTextBodiesAreShortened() {
    String brief = Failure.classify(http(500, "x".repeat(1000))).brief();
    assertThat(brief).startsWith("500 xxx").hasSizeLessThanOrEqualTo(160);
  }

  @Test
  void retryWaitsDoubleFromTheInitialBackoffOrFollowRetryAfter() {
    ResilienceSettings s = new ResilienceSettings(3, 500, 30, 60, 3600, 50, 10, 30);
    Retry.AsyncContext<Object> ctx = Retry.of("m", ModelResilience.retryConfig(s)).asyncContext();
    Throwable rateLimit = http(429, body("slow down", "rate_limit_exceeded"));
    assertThat(ctx.onError(rateLimit)).isEqualTo(500);
    assertThat(ctx.onError(rateLimit)).isEqualTo(1000);
    assertThat(ctx.onError(rateLimit)).isNegative(); // third call was the last attempt

    Retry.AsyncContext<Object> honoured = Retry.of("m", ModelResilience.retryConfig(s)).asyncContext();
    assertThat(honoured.onError(http(429, "{}", Duration.ofSeconds(2)))).isEqualTo(2000);

    Retry.AsyncContext<Object> tooLong = Retry.of("m", ModelResilience.retryConfig(s)).asyncContext();
    assertThat(tooLong.onError(http(503, "{}", Duration.ofSeconds(31)))).isNegative();

    Retry.AsyncContext<Object> fatal = Retry.of("m", ModelResilience.retryConfig(s)).asyncContext();
    assertThat(fatal.onError(http(401, "{}"))).isNegative();
  }
}
