package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** Log lines, stack traces included, carry no known value and no credential format. */
class ScrubbingLayoutTest {
  @Test
  void redactsMessagesAndStackTraces() {
    Vertx vertx = Vertx.vertx();
    try {
      SecretScrubber.of(vertx).secrets().put("api.auth_token", "operator-token-5678", SecretCategory.SYSTEM);
      LoggerContext context = new LoggerContext();
      ScrubbingLayout layout = new ScrubbingLayout();
      layout.setContext(context);
      layout.setPattern("%-5level %msg%n%ex");
      layout.start();
      LoggingEvent event = new LoggingEvent("x", context.getLogger("t"), Level.WARN,
          "call with operator-token-5678 failed, key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
          new IllegalStateException("GET /x?token=operator-token-5678 answered 401"), null);
      String line = layout.doLayout(event);
      assertThat(line).startsWith("WARN  call with [REDACTED:api.auth_token] failed, key [REDACTED:openai_api_key]")
          .contains("IllegalStateException: GET /x?token=[REDACTED:api.auth_token] answered 401")
          .doesNotContain("operator-token-5678").doesNotContain("Ab3dEf6");
    } finally {
      vertx.close();
    }
  }
}
