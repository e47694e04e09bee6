package ai.spacebot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

class CompactRequestJsonTest {
  @Test
  void openAiAndAnthropicRequestsAreWrittenWithoutIndentation() throws Exception {
    CompactRequestJson.apply();
    assertThat(isCompact("dev.langchain4j.model.openai.internal.Json")).isTrue();
    assertThat(isCompact("dev.langchain4j.model.anthropic.internal.client.Json")).isTrue();
  }

  private static boolean isCompact(String holder) throws ReflectiveOperationException {
    Field field = Class.forName(holder).getDeclaredField("OBJECT_MAPPER");
    field.setAccessible(true);
    return !((ObjectMapper) field.get(null)).isEnabled(SerializationFeature.INDENT_OUTPUT);
  }
}
