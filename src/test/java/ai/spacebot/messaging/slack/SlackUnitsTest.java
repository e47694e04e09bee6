package ai.spacebot.messaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.bus.DeliveryFailure;
import ai.spacebot.messaging.DeliveryException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Conversation ids, message text, pacing and Slack's error codes. */
class SlackUnitsTest {
  @Test
  void conversationIdsReadBack() {
    SlackTarget channel = SlackTarget.parse("slack:T0001:C0002");
    assertThat(channel.channelId()).isEqualTo("C0002");
    assertThat(channel.threadTs()).isNull();
    assertThat(channel.direct()).isFalse();
    SlackTarget thread = SlackTarget.parse("slack:T0001:C0002:1712345678.000100");
    assertThat(thread.threadTs()).isEqualTo("1712345678.000100");
    assertThat(SlackTarget.parse("slack:T0001:D0003").direct()).isTrue();
    assertThatThrownBy(() -> SlackTarget.parse("slack:T0001")).isInstanceOf(DeliveryException.class)
        .hasMessageContaining("not a Slack conversation id");
    assertThatThrownBy(() -> SlackTarget.parse("discord:1:2")).isInstanceOf(DeliveryException.class);
    assertThat(SlackTarget.tsOf(SlackTarget.messageId("C1", "1.000200"))).isEqualTo("1.000200");
    assertThat(SlackTarget.tsOf("ix:C1:abc")).isNull();
  }

  @Test
  void aThreadMessageIsItsThreadsConversationAndAParentIsTheChannels() {
    SlackMessage top = new SlackMessage("T1", "C1", "channel", "U1", "hi", "10.1", null, null, null);
    SlackMessage parent = new SlackMessage("T1", "C1", "channel", "U1", "hi", "10.1", "10.1", null, null);
    SlackMessage reply = new SlackMessage("T1", "C1", "channel", "U1", "hi", "11.1", "10.1", null, null);
    assertThat(SlackNormaliser.conversationId(top)).isEqualTo("slack:T1:C1");
    assertThat(SlackNormaliser.conversationId(parent)).isEqualTo("slack:T1:C1");
    assertThat(SlackNormaliser.conversationId(reply)).isEqualTo("slack:T1:C1:10.1");
  }

  @Test
  void theBotsMentionIsTakenOutAndSlacksEscapesUndone() {
    assertThat(SlackNormaliser.mentionsBot("<@U9> hello", "U9")).isTrue();
    assertThat(SlackNormaliser.mentionsBot("<@U8> hello", "U9")).isFalse();
    assertThat(SlackNormaliser.stripMention("<@U9|bot>  is 1 &lt; 2 &amp;&amp; 3 &gt; 2?", "U9"))
        .isEqualTo("is 1 < 2 && 3 > 2?");
    assertThat(SlackNormaliser.commandText("model openai/gpt-4o")).isEqualTo("/model openai/gpt-4o");
    assertThat(SlackNormaliser.commandText("")).isEqualTo("/help");
    assertThat(SlackNormaliser.commandText("  status ")).isEqualTo("/status");
  }

  @Test
  void postsArePacedPerChannelAfterTheBurst() {
    AtomicLong now = new AtomicLong(0);
    PostPacer pacer = new PostPacer(1, 3, now::get);
    assertThat(pacer.reserve("C1")).isZero();
    assertThat(pacer.reserve("C1")).isZero();
    assertThat(pacer.reserve("C1")).isZero();
    assertThat(pacer.reserve("C1")).isEqualTo(1000);
    assertThat(pacer.reserve("C1")).isEqualTo(2000);
    assertThat(pacer.reserve("C2")).as("another channel has its own bucket").isZero();
    now.set(10_000);
    assertThat(pacer.reserve("C1")).isZero();
    pacer.backOff("C1", 5000);
    assertThat(pacer.reserve("C1")).isGreaterThanOrEqualTo(5000);
  }

  @Test
  void slacksErrorCodesMapToRetryOrNot() {
    assertThat(SlackErrors.fromCode("ratelimited", "post", null).failure().code())
        .isEqualTo(DeliveryFailure.RATE_LIMITED);
    assertThat(SlackErrors.fromCode("internal_error", "post", null).failure().code())
        .isEqualTo(DeliveryFailure.TRANSIENT);
    DeliveryException notIn = SlackErrors.fromCode("not_in_channel", "post a message", null);
    assertThat(notIn.failure().code()).isEqualTo(DeliveryFailure.PERMANENT);
    assertThat(notIn.getMessage()).contains("/invite");
    assertThat(SlackErrors.fromCode("missing_scope", "upload a file", "files:write").getMessage())
        .contains("files:write");
    assertThat(SlackErrors.retryAfter("7")).isEqualTo(7000);
    assertThat(SlackErrors.retryAfter(null)).isEqualTo(SlackErrors.DEFAULT_WAIT_MS);
  }

  @Test
  void emojiAreNamedForSlack() {
    assertThat(EmojiNames.name("👍")).isEqualTo("thumbsup");
    assertThat(EmojiNames.name(":tada:")).isEqualTo("tada");
    assertThat(EmojiNames.name("white_check_mark")).isEqualTo("white_check_mark");
    assertThat(EmojiNames.name("🦜")).isNull();
  }

  @Test
  void socketEnvelopesAreLanedByTheirChannel() {
    assertThat(SocketLanes.key("{\"envelope_id\":\"e\",\"payload\":{\"event\":{\"type\":\"message\",\"channel\":\"D123\"}}}"))
        .isEqualTo("D123");
    assertThat(SocketLanes.key("{\"payload\":{\"channel\":{\"id\":\"C9\",\"name\":\"x\"}}}")).isEqualTo("C9");
    assertThat(SocketLanes.key("{\"payload\":{\"channel_id\":\"C7\",\"command\":\"/spacebot\"}}")).isEqualTo("C7");
    assertThat(SocketLanes.key("{\"type\":\"hello\"}")).isEmpty();
  }
}
