package ai.spacebot.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every {@code adapter:target} form, and every way one can be wrong. */
class DeliveryTargetTest {
  @Test
  void discordChannelThreadAndDm() {
    DeliveryTarget channel = DeliveryTarget.parse("discord:111:222");
    assertThat(channel).isEqualTo(new DeliveryTarget("discord", "111", "222", null, false, null));
    assertThat(channel.conversationId("main")).isEqualTo("discord:111:222");
    DeliveryTarget thread = DeliveryTarget.parse("discord:111:222:333");
    assertThat(thread).isEqualTo(new DeliveryTarget("discord", "111", "222", "333", false, null));
    assertThat(thread.conversationId("main")).isEqualTo("discord:111:222:333");
    DeliveryTarget dm = DeliveryTarget.parse("discord:dm:444");
    assertThat(dm).isEqualTo(new DeliveryTarget("discord", null, "444", null, true, null));
    assertThat(dm.conversationId("main")).isEqualTo("discord:dm:444");
  }

  @Test
  void slackChannelThreadAndDm() {
    DeliveryTarget channel = DeliveryTarget.parse("slack:T0123ABCD:C0456EFGH");
    assertThat(channel).isEqualTo(new DeliveryTarget("slack", "T0123ABCD", "C0456EFGH", null, false, null));
    assertThat(channel.conversationId("main")).isEqualTo("slack:T0123ABCD:C0456EFGH");
    DeliveryTarget thread = DeliveryTarget.parse("slack:T0123ABCD:C0456EFGH:1700000000.123456");
    assertThat(thread.thread()).isEqualTo("1700000000.123456");
    assertThat(thread.conversationId("main")).isEqualTo("slack:T0123ABCD:C0456EFGH:1700000000.123456");
    assertThat(DeliveryTarget.parse("slack:T0123ABCD:D0789").direct()).isTrue();
  }

  @Test
  void telegramChatTopicAndPrivateChat() {
    DeliveryTarget group = DeliveryTarget.parse("telegram:-1001234567890");
    assertThat(group).isEqualTo(new DeliveryTarget("telegram", null, "-1001234567890", null, false, null));
    assertThat(group.conversationId("main")).isEqualTo("telegram:-1001234567890");
    DeliveryTarget topic = DeliveryTarget.parse("telegram:-1001234567890:42");
    assertThat(topic.thread()).isEqualTo("42");
    assertThat(topic.conversationId("main")).isEqualTo("telegram:-1001234567890:42");
    DeliveryTarget person = DeliveryTarget.parse("telegram:123456");
    assertThat(person.direct()).isTrue();
    assertThat(person.conversationId("main")).isEqualTo("telegram:123456");
  }

  @Test
  void twitchIsTheLoginLowerCased() {
    assertThat(DeliveryTarget.parse("twitch:Some_Streamer")).isEqualTo(
        new DeliveryTarget("twitch", null, "some_streamer", null, false, null));
    assertThat(DeliveryTarget.parse("twitch:#streamer").conversationId("main")).isEqualTo("twitch:streamer");
  }

  @Test
  void portalShortFormIsASessionOfTheSendingAgent() {
    DeliveryTarget shortForm = DeliveryTarget.parse("portal:abc-123");
    assertThat(shortForm).isEqualTo(new DeliveryTarget("portal", null, "abc-123", null, true, null));
    assertThat(shortForm.conversationId("main")).isEqualTo("portal:chat:main:abc-123");
    assertThat(shortForm.toString()).isEqualTo("portal:abc-123");
    DeliveryTarget full = DeliveryTarget.parse("portal:chat:helper:abc-123");
    assertThat(full.portalAgent()).isEqualTo("helper");
    assertThat(full.conversationId("main")).isEqualTo("portal:chat:helper:abc-123");
  }

  @Test
  void webhookIdAndConversation() {
    DeliveryTarget hook = DeliveryTarget.parse("webhook:ci-bot:build:42");
    assertThat(hook).isEqualTo(new DeliveryTarget("webhook", "ci-bot", "build:42", null, false, null));
    assertThat(hook.conversationId("main")).isEqualTo("webhook:ci-bot:build:42");
  }

  @Test
  void everyConversationIdParsesAsItself() {
    for (String id : new String[] {"discord:1:2", "discord:1:2:3", "discord:dm:9", "slack:T01:C02", "slack:T01:C02:1.2",
        "telegram:-5", "telegram:-5:7", "twitch:abc", "portal:chat:main:s1", "webhook:h:c"}) {
      assertThat(DeliveryTarget.parse(id).conversationId("other")).isEqualTo(id);
    }
  }

  @Test
  void surroundingSpaceAndAdapterCaseAreForgiven() {
    assertThat(DeliveryTarget.parse("  Telegram:-100  ").conversationId("main")).isEqualTo("telegram:-100");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "general|\"general\" names no adapter; write it as adapter:target",
      "irc:#chan|\"irc\" is not an adapter; adapters: discord, slack, telegram, twitch, portal, webhook",
      "discord:123|a Discord target is discord:{guild}:{channel}, discord:{guild}:{channel}:{thread} or discord:dm:{user}; \"discord:123\" has 2 parts",
      "discord:1:2:3:4|\"discord:1:2:3:4\" has 5 parts",
      "discord:guild:222|the Discord guild id \"guild\" is not valid; it is a number",
      "discord:111:general|the Discord channel id \"general\" is not valid; it is a number",
      "discord:111:222:x|the Discord thread id \"x\" is not valid",
      "discord:dm:bob|the Discord user id \"bob\" is not valid",
      "discord:111:|the Discord channel id is missing",
      "slack:T0123|a Slack target is slack:{team}:{channel} or slack:{team}:{channel}:{thread_ts}; \"slack:T0123\" has 2 parts",
      "slack:t0123:C0456|the Slack team id \"t0123\" is not valid; it is T or E and then upper-case letters and digits",
      "slack:T0123:general|the Slack channel id \"general\" is not valid; it is C, G or D",
      "slack:T0123:C0456:yesterday|the Slack thread timestamp \"yesterday\" is not valid; it is a message ts",
      "telegram:@mygroup|the Telegram chat id \"@mygroup\" is not valid; it is a number",
      "telegram:-100:topic|the Telegram forum topic id \"topic\" is not valid; it is a positive number",
      "telegram:-100:1:2|a Telegram target is telegram:{chat} or telegram:{chat}:{topic}; \"telegram:-100:1:2\" has 4 parts",
      "telegram:|the Telegram chat id is missing",
      "twitch:no spaces|the Twitch channel \"no spaces\" is not valid; it is the channel's login",
      "twitch:|the Twitch channel is missing",
      "portal:a/b|the web-chat session id \"a/b\" is not valid",
      "portal:x:y|a web-chat target is portal:{session} (or its conversation id portal:chat:{agent}:{session}); \"portal:x:y\" is neither",
      "portal:chat:main:bad session|the web-chat session id \"bad session\" is not valid",
      "webhook:only-id|a webhook target is webhook:{id}:{conversation}; \"webhook:only-id\" names no conversation",
      "webhook:bad id:c|the webhook id \"bad id\" is not valid",
      "webhook:hook:|the webhook conversation is missing",
      "webhook:hook:has space|the webhook conversation \"has space\" is not valid"})
  void errorsNameWhatIsWrong(String target, String message) {
    assertThatThrownBy(() -> DeliveryTarget.parse(target)).isInstanceOf(DeliveryTarget.Invalid.class)
        .hasMessageContaining(message);
  }

  @Test
  void emptyAndOverlongTargets() {
    assertThatThrownBy(() -> DeliveryTarget.parse(null)).isInstanceOf(DeliveryTarget.Invalid.class)
        .hasMessageStartingWith("the target is empty; write it as adapter:target, one of discord:{guild}");
    assertThatThrownBy(() -> DeliveryTarget.parse("  ")).hasMessageStartingWith("the target is empty");
    assertThatThrownBy(() -> DeliveryTarget.parse("webhook:h:" + "c".repeat(400)))
        .hasMessage("the target is 410 characters long; targets are at most 300");
  }

  @Test
  void echoedValuesAreCutAndPrintable() {
    assertThatThrownBy(() -> DeliveryTarget.parse("discord:1:2\n3")).hasMessageContaining("\"2?3\"");
    assertThatThrownBy(() -> DeliveryTarget.parse("telegram:" + "x".repeat(100)))
        .hasMessageContaining("\"" + "x".repeat(60) + "…\"");
  }
}
