package ai.spacebot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompactRequestJsonTest {
  @Test
  void openAiAndAnthropicRequestsAreWrittenWithoutIndentation() throws Exception {
    CompactRequestJson.apply();
    assertThat(CompactRequestJson.isCompact("dev.langchain4j.model.openai.internal.Json")).isTrue();
    assertThat(CompactRequestJson.isCompact("dev.langchain4j.model.anthropic.internal.client.Json")).isTrue();
  }
}
