package ai.spacebot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Streaming extraction of one string field from tool-call arguments that are still arriving. */
class PartialJsonStringTest {
  /** {"content":"Hi \"there\"\nline2 \u00e9 ok","thread_name":"x"} as the model streams it. */
  private static final String SAMPLE = "{\"content\":\"Hi \\\"there\\\"\\nline2 \\u00e9 ok\",\"thread_name\":\"x\"}";
  private static final String SAMPLE_CONTENT = "Hi \"there\"\nline2 é ok";

  @Test
  void sampleIsTheJsonItClaimsToBe() {
    JsonObject parsed = new JsonObject(SAMPLE);
    assertThat(parsed.getString("content")).isEqualTo(SAMPLE_CONTENT);
    assertThat(parsed.getString("thread_name")).isEqualTo("x");
  }

  @Test
  void nullUntilTheValueStarts() {
    int valueStart = SAMPLE.indexOf(":\"") + 2;
    for (int len = 0; len < valueStart; len++) {
      assertThat(PartialJsonString.valueSoFar(SAMPLE.substring(0, len), "content"))
          .as("prefix %s", SAMPLE.substring(0, len)).isNull();
    }
    assertThat(PartialJsonString.valueSoFar(SAMPLE.substring(0, valueStart), "content")).isEmpty();
  }

  @Test
  void everyPrefixGrowsMonotonicallyWithoutHalfEscapesUntilTheExactValue() {
    assertGrowsToExactValue(SAMPLE, "content", SAMPLE_CONTENT);
  }

  @Test
  void halfEscapeIsLeftForTheNextCall() {
    assertThat(PartialJsonString.valueSoFar("{\"content\":\"ab\\", "content")).isEqualTo("ab");
    assertThat(PartialJsonString.valueSoFar("{\"content\":\"ab\\u", "content")).isEqualTo("ab");
    assertThat(PartialJsonString.valueSoFar("{\"content\":\"ab\\u00e", "content")).isEqualTo("ab");
    assertThat(PartialJsonString.valueSoFar("{\"content\":\"ab\\u00e9", "content")).isEqualTo("abé");
    assertThat(PartialJsonString.valueSoFar("{\"content\":\"ab\\\"", "content")).isEqualTo("ab\"");
  }

  @Test
  void everyEscapeKindDecodes() {
    String expected = "tab\there / back\\slash \"q\" cr\r bs\b ff\f nl\n é 😀 end";
    String json = new JsonObject().put("content", expected).put("other", 1).encode();
    // The encoder may leave some characters unescaped; force the \\u and \\/ forms too.
    json = json.replace("é", "\\u00e9").replace("😀", "\\ud83d\\ude00").replace(" / ", " \\/ ");
    assertThat(new JsonObject(json).getString("content")).isEqualTo(expected);

    assertGrowsToExactValue(json, "content", expected);
  }

  @Test
  void secondFieldIsFoundAfterTheFirst() {
    assertThat(PartialJsonString.valueSoFar(SAMPLE, "thread_name")).isEqualTo("x");
    assertThat(PartialJsonString.valueSoFar(SAMPLE.substring(0, SAMPLE.length() - 3), "thread_name")).isEmpty();
    assertThat(PartialJsonString.valueSoFar(SAMPLE, "missing")).isNull();
  }

  @Test
  void whitespaceAroundTheColon() {
    assertThat(PartialJsonString.valueSoFar("{ \"content\" :  \"hello\" }", "content")).isEqualTo("hello");
    assertThat(PartialJsonString.valueSoFar("{\n  \"content\"\n  :\n\t\"hel", "content")).isEqualTo("hel");
    assertThat(PartialJsonString.valueSoFar("{\"content\" : ", "content")).isNull();
    assertThat(PartialJsonString.valueSoFar("{\"content\" : \"", "content")).isEmpty();
  }

  @Test
  void keyInsideAnotherValueDoesNotConfuseIt() {
    // The key's name as a plain value of another field.
    String asValue = "{\"thread_name\":\"content\",\"content\":\"real text\"}";
    assertGrowsToExactValue(asValue, "content", "real text");

    // The key, quoted and followed by a colon, inside another string value.
    String quoted = new JsonObject().put("thread_name", "say \"content\": \"fake\"").put("content", "real").encode();
    assertThat(PartialJsonString.valueSoFar(quoted, "content")).isEqualTo("real");
    for (int len = 0; len < quoted.indexOf(",\"content\""); len++) {
      assertThat(PartialJsonString.valueSoFar(quoted.substring(0, len), "content"))
          .as("prefix %s", quoted.substring(0, len)).isNull();
    }

    // A longer key that ends with the same name.
    assertThat(PartialJsonString.valueSoFar("{\"old_content\":\"no\",\"content\":\"yes\"}", "content")).isEqualTo("yes");
  }

  @Test
  void nonStringValueGivesNull() {
    assertThat(PartialJsonString.valueSoFar("{\"content\":null}", "content")).isNull();
    assertThat(PartialJsonString.valueSoFar("{\"content\":42}", "content")).isNull();
  }

  /** Feeds {@code json} prefix by prefix: each result extends the last and is a prefix of {@code expected}. */
  private static void assertGrowsToExactValue(String json, String field, String expected) {
    String previous = null;
    for (int len = 0; len <= json.length(); len++) {
      String prefix = json.substring(0, len);
      String value = PartialJsonString.valueSoFar(prefix, field);
      if (value == null) {
        assertThat(previous).as("value went back to null at prefix %s", prefix).isNull();
        continue;
      }
      assertThat(expected).as("prefix %s gave %s", prefix, value).startsWith(value);
      if (previous != null) {
        assertThat(value).as("prefix %s shrank", prefix).startsWith(previous);
      }
      previous = value;
    }
    // Monotonic and bounded by the expected value: once complete, it stays exactly the value.
    assertThat(previous).isEqualTo(expected);
  }
}
