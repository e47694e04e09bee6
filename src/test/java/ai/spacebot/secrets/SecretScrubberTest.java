package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known values become {@code [REDACTED:NAME]} in every form a tool or a model could re-encode them to. */
class SecretScrubberTest {
  private static final String TOKEN = "tok3n-Sup3r/S3cret+value";

  private static SecretScrubber scrubberWith(String name, String value) {
    KnownSecrets secrets = new KnownSecrets();
    secrets.put(name, value, SecretCategory.TOOL);
    return new SecretScrubber(secrets);
  }

  @Test
  void plainValueAnywhereInText() {
    SecretScrubber s = scrubberWith("GITHUB_TOKEN", TOKEN);
    assertThat(s.redact("the token is " + TOKEN + ", keep it")).isEqualTo("the token is [REDACTED:GITHUB_TOKEN], keep it");
    assertThat(s.redact(TOKEN + TOKEN)).isEqualTo("[REDACTED:GITHUB_TOKEN][REDACTED:GITHUB_TOKEN]");
    assertThat(s.redact("nothing here")).isEqualTo("nothing here");
  }

  @Test
  void hexLowerAndUpperCase() {
    SecretScrubber s = scrubberWith("K", TOKEN);
    String hex = HexFormat.of().formatHex(TOKEN.getBytes(StandardCharsets.UTF_8));
    assertThat(s.redact("x " + hex + " y")).isEqualTo("x [REDACTED:K] y");
    assertThat(s.redact("x " + hex.toUpperCase() + " y")).isEqualTo("x [REDACTED:K] y");
  }

  @Test
  void percentEncodedEveryWay() {
    SecretScrubber s = scrubberWith("K", TOKEN);
    String form = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
    assertThat(form).isEqualTo("tok3n-Sup3r%2FS3cret%2Bvalue");
    assertThat(s.redact("https://x.test/?t=" + form + "&a=1")).isEqualTo("https://x.test/?t=[REDACTED:K]&a=1");
    assertThat(s.redact("?t=tok3n-Sup3r%2fS3cret%2bvalue")).isEqualTo("?t=[REDACTED:K]");
    SecretScrubber spaced = scrubberWith("P", "correct horse battery");
    assertThat(spaced.redact("p=correct+horse+battery&q")).isEqualTo("p=[REDACTED:P]&q");
    assertThat(spaced.redact("p=correct%20horse%20battery&q")).isEqualTo("p=[REDACTED:P]&q");
  }

  @Test
  void base64StandardAndUrlSafeWithAndWithoutPadding() {
    String value = "ab?>cd~~ef??"; // bytes that give + and / in standard base64
    SecretScrubber s = scrubberWith("K", value);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (String form : new String[] {
        Base64.getEncoder().encodeToString(bytes), Base64.getEncoder().withoutPadding().encodeToString(bytes),
        Base64.getUrlEncoder().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)}) {
      assertThat(s.redact("b64: " + form + " end")).as(form).isEqualTo("b64: [REDACTED:K] end");
    }
    String odd = "passw0rd-1"; // 10 bytes: padded with ==
    SecretScrubber t = scrubberWith("K", odd);
    String padded = Base64.getEncoder().encodeToString(odd.getBytes(StandardCharsets.UTF_8));
    assertThat(padded).endsWith("==");
    assertThat(t.redact("\"" + padded + "\"")).isEqualTo("\"[REDACTED:K]\"");
  }

  @Test
  void base64InsideALongerBlobAtEachAlignment() {
    SecretScrubber s = scrubberWith("K", TOKEN);
    for (int before = 0; before < 6; before++) {
      String blob = Base64.getEncoder().encodeToString(
          ("{\"user\":\"ann" + "x".repeat(before) + "\",\"token\":\"" + TOKEN + "\",\"exp\":1}")
              .getBytes(StandardCharsets.UTF_8));
      String redacted = s.redact(blob);
      assertThat(redacted).as("offset " + before).contains("[REDACTED:K]");
      // What is left of the blob no longer decodes to the value in any alignment.
      String rest = redacted.replace("[REDACTED:K]", "");
      assertThat(new String(Base64.getDecoder().decode(rest.substring(0, rest.length() / 4 * 4)), StandardCharsets.ISO_8859_1))
          .doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 12));
    }
  }

  @Test
  void aSecretThatIsAPrefixOfAnotherIsRedactedWhole() {
    KnownSecrets secrets = new KnownSecrets();
    secrets.put("SHORT", "abcdefgh12", SecretCategory.TOOL);
    secrets.put("LONG", "abcdefgh12345678", SecretCategory.TOOL);
    SecretScrubber s = new SecretScrubber(secrets);
    assertThat(s.redact("a abcdefgh12345678 b")).isEqualTo("a [REDACTED:LONG] b");
    assertThat(s.redact("a abcdefgh12 b")).isEqualTo("a [REDACTED:SHORT] b");
    assertThat(s.redact("a abcdefgh1234 b")).isEqualTo("a [REDACTED:SHORT]34 b");
  }

  @Test
  void overlappingSecretsBecomeOneRedactionNamingBoth() {
    KnownSecrets secrets = new KnownSecrets();
    secrets.put("A", "11112222xyz", SecretCategory.SYSTEM);
    secrets.put("B", "2222xyz33334444", SecretCategory.SYSTEM);
    SecretScrubber s = new SecretScrubber(secrets);
    String out = s.redact("[11112222xyz33334444]");
    assertThat(out).startsWith("[[REDACTED:").endsWith("]]").doesNotContain("1111").doesNotContain("4444");
    assertThat(out).contains("A").contains("B");
  }

  @Test
  void rebuildsWhenTheKnownValuesChange() {
    KnownSecrets secrets = new KnownSecrets();
    SecretScrubber s = new SecretScrubber(secrets);
    assertThat(s.redact("value-one-1234")).isEqualTo("value-one-1234");
    secrets.put("ONE", "value-one-1234", SecretCategory.SYSTEM);
    assertThat(s.redact("value-one-1234")).isEqualTo("[REDACTED:ONE]");
    secrets.remove("ONE");
    assertThat(s.redact("value-one-1234")).isEqualTo("value-one-1234");
  }

  @Test
  void nonAsciiValues() {
    SecretScrubber s = scrubberWith("PW", "pässwörd-ü€-9");
    assertThat(s.redact("is pässwörd-ü€-9!")).isEqualTo("is [REDACTED:PW]!");
    String hex = HexFormat.of().formatHex("pässwörd-ü€-9".getBytes(StandardCharsets.UTF_8));
    assertThat(s.redact(hex)).isEqualTo("[REDACTED:PW]");
  }

  @Test
  void redactAllAlsoRemovesCredentialPatterns() {
    SecretScrubber s = scrubberWith("K", TOKEN);
    String key = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
    assertThat(s.redactAll(TOKEN + " and " + key + ".")).isEqualTo("[REDACTED:K] and [REDACTED:openai_api_key].");
    assertThat(s.leak("see " + key)).contains(LeakPattern.OPENAI_API_KEY);
    assertThat(s.leak("a known " + TOKEN)).isEmpty();
  }
}
