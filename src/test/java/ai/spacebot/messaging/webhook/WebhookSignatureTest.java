package ai.spacebot.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final String BODY = "{\"text\":\"hi\"}";

  /** The vector was computed outside Java: python3 hmac.new(b'whsec-test-key', b'1700000000.{"text":"hi"}', sha256). */
  @Test
  void signsTimestampDotBodyAsHexHmacSha256() {
    assertThat(WebhookSignature.sign("whsec-test-key", 1_700_000_000L, BODY))
        .isEqualTo("sha256=4e9b2f71d2fda7532afb3d1f59e58f95b4063f5aba5839f48cf5d0806540824e");
  }

  @Test
  void verifiesOnlyTheSameKeyTimestampAndBody() {
    String header = WebhookSignature.sign("k-0123456789abcdef", 1_700_000_000L, BODY);
    assertThat(WebhookSignature.verify("k-0123456789abcdef", 1_700_000_000L, BODY, header)).isTrue();
    assertThat(WebhookSignature.verify("k-0123456789abcdeX", 1_700_000_000L, BODY, header)).isFalse();
    assertThat(WebhookSignature.verify("k-0123456789abcdef", 1_700_000_001L, BODY, header)).isFalse();
    assertThat(WebhookSignature.verify("k-0123456789abcdef", 1_700_000_000L, BODY + " ", header)).isFalse();
    assertThat(WebhookSignature.verify("k-0123456789abcdef", 1_700_000_000L, BODY, header.substring(7))).isFalse();
    assertThat(WebhookSignature.verify("k-0123456789abcdef", 1_700_000_000L, BODY, "sha256=zz")).isFalse();
    assertThat(WebhookSignature.verify("k-0123456789abcdef", 1_700_000_000L, BODY, null)).isFalse();
  }

  @Test
  void comparesSecretsWholly() {
    assertThat(WebhookSignature.sameSecret("abc", "abc")).isTrue();
    assertThat(WebhookSignature.sameSecret("abc", "abcd")).isFalse();
    assertThat(WebhookSignature.sameSecret(null, "abc")).isFalse();
    assertThat(WebhookSignature.sameSecret("abc", null)).isFalse();
  }

  @Test
  void readsRetryAfterAsSecondsOrADate() {
    assertThat(WebhookSender.retryAfterMillis("3", 0)).isEqualTo(3000);
    assertThat(WebhookSender.retryAfterMillis(null, 0)).isEqualTo(WebhookSender.DEFAULT_RETRY_AFTER_MS);
    assertThat(WebhookSender.retryAfterMillis("soon", 0)).isEqualTo(WebhookSender.DEFAULT_RETRY_AFTER_MS);
    long now = java.time.ZonedDateTime.parse("Sun, 06 Dec 2026 13:00:00 GMT",
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    assertThat(WebhookSender.retryAfterMillis("Sun, 06 Dec 2026 13:00:05 GMT", now)).isEqualTo(5000);
  }

  @Test
  void parsesConversationIdsWithColonsInTheOtherSystemsPart() {
    assertThat(WebhookTarget.parse("webhook:phone:+49:123")).isEqualTo(new WebhookTarget("phone", "+49:123"));
    assertThat(new WebhookTarget("tickets", "T-1").conversationId()).isEqualTo("webhook:tickets:T-1");
    assertThatThrownBy(() -> WebhookTarget.parse("telegram:1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookTarget.parse("webhook:only")).isInstanceOf(IllegalArgumentException.class);
  }
}
