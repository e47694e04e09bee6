package ai.spacebot.llm.resilience;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;

/**
 * A model provider's non-2xx answer with what its headers said about retrying. LangChain4j keeps the
 * {@link HttpException} it is given as the cause of its own exception (RateLimitException and so on),
 * so {@link RetryAfter#of(Throwable)} finds the wait in the cause chain.
 */
public class ProviderHttpException extends HttpException {
  private final Duration retryAfter;

  /**
   * @param body the raw response body (LangChain4j's mapping reads the message as the body)
   * @param retryAfter the parsed {@code Retry-After} (or {@code retry-after-ms}), or null when absent
   */
  public ProviderHttpException(int statusCode, String body, Duration retryAfter) {
    super(statusCode, body);
    this.retryAfter = retryAfter;
  }

  /** The provider's requested wait, or null when it named none. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
