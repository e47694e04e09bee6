package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a streaming reply may show: never a part of a secret, whatever the chunking. */
class StreamGuardTest {
  private static final String SECRET = "ghs-Tool-S3cret-Value-42";
  private static final String SPACED = "open sesame 1234";

  private static SecretScrubber scrubber() {
    KnownSecrets secrets = new KnownSecrets();
    secrets.put("GITHUB_TOKEN", SECRET, SecretCategory.TOOL);
    secrets.put("PHRASE", SPACED, SecretCategory.TOOL);
    secrets.put("PREFIX", "ghs-Tool-S3c", SecretCategory.TOOL);
    return new SecretScrubber(secrets);
  }

  /** Feeds {@code text} in the given chunk sizes; returns every shown aggregate, then the final one. */
  private static List<String> stream(StreamGuard guard, String text, int[] cuts) {
    List<String> shown = new ArrayList<>();
    for (int cut : cuts) {
      String s = guard.visible(text.substring(0, cut));
      if (s != null) {
        shown.add(s);
      }
    }
    String last = guard.finish(text);
    if (last != null) {
      shown.add(last);
    }
    return shown;
  }

  private static void assertSafe(List<String> shown, String expectedFinal) {
    String previous = "";
    for (String s : shown) {
      assertThat(s).startsWith(previous);
      previous = s;
      for (String secret : new String[] {SECRET, SPACED}) {
        // No prefix of 5+ characters of a secret at the end of what is shown.
        for (int n = 5; n <= secret.length(); n++) {
          assertThat(s).as("shown: " + s).doesNotEndWith(secret.substring(0, n));
          assertThat(s).doesNotContain(secret.substring(0, n) + " ");
        }
        assertThat(s).doesNotContain(secret);
      }
    }
    assertThat(previous).isEqualTo(expectedFinal);
  }

  /** A node that knows no secret at all (no tokens, no keys) streams replies unchanged; this used to throw. */
  @Test
  void withoutAnyKnownSecretTheStreamIsShownAsItIs() {
    StreamGuard guard = new StreamGuard(new SecretScrubber(new KnownSecrets()));
    String text = "echo: hello there, nothing secret here";
    List<String> shown = stream(guard, text, new int[] {5, 17, text.length()});
    assertThat(shown.get(shown.size() - 1)).isEqualTo(text);
    assertThat(text).startsWith(shown.get(0));
  }

  @Test
  void oneCharacterAtATime() {
    String text = "Here: " + SECRET + " and " + SPACED + ", then ghs-Tool-S3c only.";
    int[] cuts = new int[text.length()];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    StreamGuard guard = new StreamGuard(scrubber());
    List<String> shown = stream(guard, text, cuts);
    assertSafe(shown, "Here: [REDACTED:GITHUB_TOKEN] and [REDACTED:PHRASE], then [REDACTED:PREFIX] only.");
    assertThat(shown).hasSizeGreaterThan(10);
  }

  @Test
  void arbitraryChunkSplits() {
    String b64 = Base64.getEncoder().encodeToString(("user:" + SECRET).getBytes(StandardCharsets.UTF_8));
    String text = "Token " + SECRET + " b64 " + b64 + " phrase '" + SPACED + "' done";
    String expected = scrubber().redact(text);
    Random random = new Random(12);
    for (int run = 0; run < 300; run++) {
      List<Integer> cuts = new ArrayList<>();
      int at = 0;
      while (at < text.length()) {
        at = Math.min(text.length(), at + 1 + random.nextInt(9));
        cuts.add(at);
      }
      StreamGuard guard = new StreamGuard(scrubber());
      assertSafe(stream(guard, text, cuts.stream().mapToInt(i -> i).toArray()), expected);
      assertThat(guard.blockedBy()).isEmpty();
    }
  }

  @Test
  void aPatternMidStreamStopsTheStream() {
    String key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
    String text = "Sure, the key is " + key + " and more text after it.";
    StreamGuard guard = new StreamGuard(scrubber());
    List<String> shown = new ArrayList<>();
    for (int i = 1; i <= text.length(); i++) {
      String s = guard.visible(text.substring(0, i));
      if (s != null) {
        shown.add(s);
      }
    }
    assertThat(guard.finish(text)).isNull();
    assertThat(guard.blockedBy()).contains(LeakPattern.OPENAI_API_KEY);
    assertThat(String.join("|", shown)).doesNotContain("sk-proj").doesNotContain("Ab3dEf");
    assertThat(shown.get(shown.size() - 1)).isEqualTo("Sure, the key is ");
  }

  @Test
  void resetStartsANewMessage() {
    StreamGuard guard = new StreamGuard(scrubber());
    assertThat(guard.visible("x sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z ")).isNull();
    guard.reset();
    assertThat(guard.visible("hello world")).isEqualTo("hello ");
    assertThat(guard.finish("hello world")).isEqualTo("hello world");
  }
}
