package ai.spacebot.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptTest {
  private static final ToolExecutionRequest CALL_1 =
      ToolExecutionRequest.builder().id("c1").name("memory_recall").arguments("{\"query\":\"report\"}").build();

  @Test
  void transcriptRendersToolTrafficAsPlainText() {
    List<ChatMessage> h = List.of(UserMessage.from("[alice] send the report"), AiMessage.from("On it.", List.of(CALL_1)),
        ToolExecutionResultMessage.from(CALL_1, "report is due Friday"), AiMessage.from("Done."));
    assertThat(Transcript.render(h)).isEqualTo("""
        User: [alice] send the report
        Assistant: On it.
        Assistant called tool memory_recall({"query":"report"})
        Tool result (memory_recall): report is due Friday
        Assistant: Done.""");
  }
}
