package ai.spacebot.llm.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  @Test
  void aQuarterOfTheCharactersRoundedUpPlusFourPerMessage() {
    assertThat(TokenEstimator.estimate(UserMessage.from("abcd"))).isEqualTo(1 + 4);
    assertThat(TokenEstimator.estimate(UserMessage.from("abcde"))).isEqualTo(2 + 4);
    assertThat(TokenEstimator.estimate(SystemMessage.from("x".repeat(400)))).isEqualTo(100 + 4);
    assertThat(TokenEstimator.estimate(AiMessage.from("hello"))).isEqualTo(2 + 4);
  }

  @Test
  void toolCallNamesArgumentsAndResultsCount() {
    ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("reply").arguments("{\"content\":\"hi\"}").build();
    // "reply" (5) + {"content":"hi"} (16) = 21 characters -> 6 tokens
    assertThat(TokenEstimator.estimate(AiMessage.from(call))).isEqualTo(6 + 4);
    // text (5) + name (5) + arguments (16) = 26 -> 7
    assertThat(TokenEstimator.estimate(AiMessage.from("hello", List.of(call)))).isEqualTo(7 + 4);
    assertThat(TokenEstimator.estimate(ToolExecutionResultMessage.from(call, "done, sent"))).isEqualTo(3 + 4);
  }

  @Test
  void aListIsTheSumOfItsMessages() {
    List<ChatMessage> history = List.of(UserMessage.from("abcd"), AiMessage.from("abcdefgh"), UserMessage.from("a"));
    assertThat(TokenEstimator.estimate(history)).isEqualTo(5 + 6 + 5);
    assertThat(TokenEstimator.estimate(List.of())).isZero();
  }
}
