package ai.spacebot.messaging.twitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.messaging.DeliveryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwitchTextTest {
  @Test
  void markdownBecomesPlainTextOnOneLine() {
    assertThat(TwitchText.parts("# Plan\n\n**Bold** and _soft_, `code`:\n\n1. one\n2. two\n\n> quoted"))
        .containsExactly("Plan Bold and soft, code: 1. one 2. two quoted");
    assertThat(TwitchText.parts("see [the docs](https://example.org/d) or <https://example.org>"))
        .containsExactly("see the docs (https://example.org/d) or https://example.org");
    assertThat(TwitchText.parts("```\nfoo()\nbar()\n```")).containsExactly("foo() bar()");
    assertThat(TwitchText.parts("  \n\n ")).isEmpty();
  }

  @Test
  void aLongAnswerIsSplitAt500WithItsLinesWholeAndInOrder() {
    StringBuilder md = new StringBuilder("```\n");
    for (int i = 0; i < 60; i++) {
      md.append("line ").append(i).append(" of the code with some padding here\n");
    }
    md.append("```\n\nThe end.");
    List<String> parts = TwitchText.parts(md.toString());
    assertThat(parts.size()).isGreaterThan(4);
    String all = String.join(" ", parts);
    int at = -1;
    for (int i = 0; i < 60; i++) {
      int next = all.indexOf("line " + i + " of the code");
      assertThat(next).as("line %d whole and in order", i).isGreaterThan(at);
      at = next;
    }
    for (String part : parts) {
      assertThat(part.length()).isLessThanOrEqualTo(TwitchText.MAX_LENGTH);
      assertThat(part).doesNotContain("\n").isEqualTo(part.strip());
    }
    assertThat(parts.get(parts.size() - 1)).endsWith("The end.");
  }

  @Test
  void aPartThatWouldBeAChatCommandIsNot() {
    assertThat(TwitchText.parts("/ban everyone")).containsExactly(TwitchText.COMMAND_GUARD + "/ban everyone");
    assertThat(TwitchText.parts(".timeout ada 600")).containsExactly(TwitchText.COMMAND_GUARD + ".timeout ada 600");
    assertThat(TwitchText.parts("use /help for more")).containsExactly("use /help for more");
    String longest = "/" + "x".repeat(2000);
    for (String part : TwitchText.parts(longest)) {
      assertThat(part.length()).isLessThanOrEqualTo(TwitchText.MAX_LENGTH);
      assertThat(part).doesNotStartWith("/").doesNotStartWith(".");
    }
  }

  @Test
  void conversationIdsNameAJoinedChannel() {
    assertThat(TwitchTarget.parse("twitch:streamer", List.of("streamer")).channel()).isEqualTo("streamer");
    assertThatThrownBy(() -> TwitchTarget.parse("twitch:other", List.of("streamer")))
        .isInstanceOf(DeliveryException.class).hasMessageContaining("#other").hasMessageContaining("TWITCH_CHANNELS");
    assertThatThrownBy(() -> TwitchTarget.parse("discord:1:2", List.of("streamer")))
        .hasMessageContaining("not a Twitch conversation id");
    assertThatThrownBy(() -> TwitchTarget.parse("twitch:Stream-er", List.of("streamer")))
        .hasMessageContaining("not a Twitch conversation id");
    assertThatThrownBy(() -> TwitchTarget.parse(null, List.of("streamer")))
        .hasMessageContaining("not a Twitch conversation id");
  }
}
