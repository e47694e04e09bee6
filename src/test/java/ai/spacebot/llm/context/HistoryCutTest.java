package ai.spacebot.llm.context;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.CompactionSettings;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistoryCutTest {
  private static final ToolExecutionRequest CALL_1 =
      ToolExecutionRequest.builder().id("c1").name("memory_recall").arguments("{\"query\":\"report\"}").build();
  private static final ToolExecutionRequest CALL_2 =
      ToolExecutionRequest.builder().id("c2").name("react").arguments("{\"emoji\":\"👍\"}").build();

  /** A plain message of 13 estimated tokens (36 characters). */
  private static ChatMessage user(int i) {
    return UserMessage.from(String.format("[alice] message number %013d", i));
  }

  private static ChatMessage ai(int i) {
    return AiMessage.from(String.format("[agent] answer number %014d", i));
  }

  private static List<ChatMessage> plain(int n) {
    return IntStream.range(0, n).mapToObj(i -> i % 2 == 0 ? user(i) : ai(i)).toList();
  }

  /** u0, u1, AI(2 calls), r1, r2, u5, a6, u7, a8, u9. */
  private static List<ChatMessage> withToolGroup() {
    List<ChatMessage> h = new ArrayList<>();
    h.add(user(0));
    h.add(ai(1));
    h.add(AiMessage.from(CALL_1, CALL_2));
    h.add(ToolExecutionResultMessage.from(CALL_1, "Alice wants the report by Friday; Bob reviews it."));
    h.add(ToolExecutionResultMessage.from(CALL_2, "reacted"));
    for (int i = 5; i < 10; i++) {
      h.add(i % 2 == 0 ? ai(i) : user(i));
    }
    return h;
  }

  /** A fraction whose target lands just at the end of message {@code last} (inclusive). */
  private static double landingAfter(List<ChatMessage> h, int last) {
    long through = TokenEstimator.estimate(h.subList(0, last + 1));
    return (through - 0.5) / TokenEstimator.estimate(h);
  }

  @Test
  void cutCountOnPlainHistories() {
    assertThat(HistoryCut.cutCount(plain(10), 0.3)).isEqualTo(3);
    assertThat(HistoryCut.cutCount(plain(10), 0.5)).isEqualTo(5);
    assertThat(HistoryCut.cutCount(plain(10), 0.01)).as("at least one message").isEqualTo(1);
    assertThat(HistoryCut.cutCount(plain(10), 1.0)).as("the last message stays").isEqualTo(9);
    assertThat(HistoryCut.cutCount(plain(10), 0.0)).isZero();
    assertThat(HistoryCut.cutCount(plain(1), 0.5)).isZero();
    assertThat(HistoryCut.cutCount(List.of(), 0.5)).isZero();
  }

  @ParameterizedTest(name = "target ends at message {0} -> cut {1}")
  @CsvSource({
      "0, 1",   // after u0
      "1, 2",   // after a1: the tool group stays whole
      "2, 5",   // between the AI message and its results: past both results
      "3, 5",   // between the two results
      "4, 5",   // right after the second result
      "5, 6",
  })
  void cutCountNeverSplitsACallFromItsResults(int last, int expected) {
    List<ChatMessage> h = withToolGroup();
    int cut = HistoryCut.cutCount(h, landingAfter(h, last));
    assertThat(cut).isEqualTo(expected);
    assertThat(h.get(cut)).isNotInstanceOf(ToolExecutionResultMessage.class);
  }

  @Test
  void aToolGroupAtTheEndMovesTheCutBackInsteadOfRemovingEverything() {
    List<ChatMessage> h = List.of(user(0), AiMessage.from(CALL_1, CALL_2), ToolExecutionResultMessage.from(CALL_1, "x"),
        ToolExecutionResultMessage.from(CALL_2, "y"));
    assertThat(HistoryCut.cutCount(h, 0.9)).isEqualTo(1);
    assertThat(HistoryCut.cutCount(h.subList(1, 4), 0.5)).as("one group alone cannot be cut").isZero();
  }

  @Test
  void emergencyDropKeepsTheNewestHalfBehindAMarker() {
    List<ChatMessage> h = plain(10);
    List<ChatMessage> out = HistoryCut.emergencyDrop(h, 0.5);
    assertThat(out).hasSize(6);
    assertThat(out.get(0)).isEqualTo(UserMessage.from(
        "[Compaction: 5 older messages were dropped to stay within the context window.]"));
    assertThat(out.subList(1, 6)).containsExactlyElementsOf(h.subList(5, 10));
    assertThat(h).hasSize(10);
  }

  @Test
  void emergencyDropRespectsToolGroups() {
    List<ChatMessage> h = withToolGroup();
    List<ChatMessage> out = HistoryCut.emergencyDrop(h, landingAfter(h, 3));
    assertThat(out.get(0)).isEqualTo(HistoryCut.dropMarker(5));
    assertThat(out.subList(1, out.size())).containsExactlyElementsOf(h.subList(5, 10));
    assertThat(out.get(1)).isNotInstanceOf(ToolExecutionResultMessage.class);
  }

  @Test
  void withSummaryReplacesTheOldestMessages() {
    List<ChatMessage> h = plain(6);
    List<ChatMessage> out = HistoryCut.withSummary(h, 3, "Alice asked for the report by Friday.");
    assertThat(out).hasSize(4);
    assertThat(out.get(0)).isEqualTo(UserMessage.from("[Compaction Summary]: Alice asked for the report by Friday."));
    assertThat(out.subList(1, 4)).containsExactlyElementsOf(h.subList(3, 6));
    assertThat(HistoryCut.withSummary(h, 0, "nothing")).isEqualTo(h);
  }

  @Test
  void withSummaryDropsResultsWhoseCallWasSummarised() {
    List<ChatMessage> h = withToolGroup();
    List<ChatMessage> out = HistoryCut.withSummary(h, 3, "S");
    assertThat(out.get(0)).isEqualTo(HistoryCut.summaryMessage("S"));
    assertThat(out.subList(1, out.size())).containsExactlyElementsOf(h.subList(5, 10));
  }

  private static final CompactionSettings SMALL = new CompactionSettings(1000, 0.80, 0.30, 0.85, 0.50, 0.95, 0.50, 0.15, 4);
  private static final long BUDGET = 850;

  @Test
  void aForkThatFitsIsUnchanged() {
    List<ChatMessage> h = plain(10);
    assertThat(TokenEstimator.estimate(h)).isLessThan(BUDGET);
    assertThat(HistoryCut.forkToFit(h, SMALL)).isEqualTo(h);
  }

  @Test
  void aLongForkDropsItsOldestMessagesUntilItFits() {
    List<ChatMessage> h = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      h.add(UserMessage.from(i + " " + "x".repeat(100)));
    }
    List<ChatMessage> out = HistoryCut.forkToFit(h, SMALL);
    int kept = out.size() - 1;
    assertThat(kept).isBetween(4, 99);
    assertThat(out.get(0)).isEqualTo(HistoryCut.dropMarker(100 - kept));
    assertThat(out.subList(1, out.size())).containsExactlyElementsOf(h.subList(100 - kept, 100));
    assertThat(TokenEstimator.estimate(out)).isLessThanOrEqualTo(BUDGET);
    assertThat(TokenEstimator.estimate(out) + TokenEstimator.estimate(h.get(99 - kept)))
        .as("no more was dropped than needed").isGreaterThan(BUDGET);
  }

  @Test
  void theLastMessagesStayWholeEvenWhenTheyAloneAreTooBig() {
    List<ChatMessage> h = new ArrayList<>(plain(6));
    for (int i = 0; i < 4; i++) {
      h.add(UserMessage.from("y".repeat(1000)));
    }
    assertThat(TokenEstimator.estimate(h.subList(6, 10))).isGreaterThan(BUDGET);
    List<ChatMessage> out = HistoryCut.forkToFit(h, SMALL);
    assertThat(out).hasSize(5);
    assertThat(out.get(0)).isEqualTo(HistoryCut.dropMarker(6));
    assertThat(out.subList(1, 5)).containsExactlyElementsOf(h.subList(6, 10));
  }

  @Test
  void aForkKeepsTheCallOfAResultAmongTheLastMessages() {
    CompactionSettings keepTwo = new CompactionSettings(1000, 0.80, 0.30, 0.85, 0.50, 0.95, 0.50, 0.15, 2);
    List<ChatMessage> h = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      h.add(UserMessage.from("z".repeat(2000)));
    }
    h.add(AiMessage.from(CALL_1, CALL_2));
    h.add(ToolExecutionResultMessage.from(CALL_1, "w".repeat(1000)));
    h.add(ToolExecutionResultMessage.from(CALL_2, "w".repeat(1000)));
    h.add(user(9));
    List<ChatMessage> out = HistoryCut.forkToFit(h, keepTwo);
    assertThat(out.get(0)).isEqualTo(HistoryCut.dropMarker(6));
    assertThat(out.subList(1, out.size())).containsExactlyElementsOf(h.subList(6, 10));
  }
}
