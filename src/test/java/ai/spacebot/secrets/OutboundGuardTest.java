package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.OutboundMessage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message to people: known values redacted everywhere in it; a credential format withholds it whole. */
class OutboundGuardTest {
  private static final String KEY = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";

  private static OutboundGuard guard() {
    KnownSecrets secrets = new KnownSecrets();
    secrets.put("BOT_TOKEN", "bot-token-value-77", SecretCategory.SYSTEM);
    return new OutboundGuard(new SecretScrubber(secrets));
  }

  private static OutboundMessage message(String text, String thread, JsonObject rich) {
    return new OutboundMessage("m1", OutboundMessage.MESSAGE, "main", "portal", "portal:chat:main:s", text, "in1",
        "reply:in1", "42", thread, rich, List.of("report.txt"), List.of());
  }

  @Test
  void redactsKnownValuesInTextThreadAndRichParts() {
    OutboundGuard.Sealed sealed = guard().seal(message("token bot-token-value-77", "about bot-token-value-77",
        new JsonObject().put("card", new JsonObject().put("title", "t bot-token-value-77"))));
    assertThat(sealed.withheld()).isFalse();
    assertThat(sealed.message().text()).isEqualTo("token [REDACTED:BOT_TOKEN]");
    assertThat(sealed.message().threadName()).isEqualTo("about [REDACTED:BOT_TOKEN]");
    assertThat(sealed.message().rich().getJsonObject("card").getString("title")).isEqualTo("t [REDACTED:BOT_TOKEN]");
    assertThat(sealed.message().files()).containsExactly("report.txt");
  }

  @Test
  void aCredentialFormatWithholdsTheWholeMessage() {
    for (OutboundMessage m : List.of(message("here " + KEY, null, null), message("ok", KEY, null),
        message("ok", null, new JsonObject().put("buttons", new io.vertx.core.json.JsonArray().add(
            new JsonObject().put("label", KEY)))))) {
      OutboundGuard.Sealed sealed = guard().seal(m);
      assertThat(sealed.withheldFor()).isEqualTo(LeakPattern.OPENAI_API_KEY);
      assertThat(sealed.message().text())
          .isEqualTo("I held back a reply because it looked like it contained a credential.");
      assertThat(sealed.message().rich()).isNull();
      assertThat(sealed.message().threadName()).isNull();
      assertThat(sealed.message().files()).isEmpty();
      assertThat(sealed.message().idempotencyKey()).isEqualTo("reply:in1");
      assertThat(sealed.message().toJson().encode()).doesNotContain("Ab3dEf6");
    }
  }

  @Test
  void aCleanMessageIsTheSameObject() {
    OutboundMessage m = message("hello", null, null);
    assertThat(guard().seal(m).message()).isSameAs(m);
  }
}
