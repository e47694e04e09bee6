package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.messaging.DeliveryException;
import org.junit.jupiter.api.Test;

class DiscordTargetTest {
  @Test
  void readsTheThreeKindsOfConversation() {
    assertThat(DiscordTarget.parse("discord:dm:300")).isEqualTo(new DiscordTarget(null, null, null, "300"));
    DiscordTarget channel = DiscordTarget.parse("discord:100:200");
    assertThat(channel.postChannel()).isEqualTo("200");
    assertThat(channel.direct()).isFalse();
    DiscordTarget thread = DiscordTarget.parse("discord:100:200:250");
    assertThat(thread.channelId()).isEqualTo("200");
    assertThat(thread.postChannel()).isEqualTo("250");
  }

  @Test
  void anythingElseIsAPermanentFailure() {
    for (String bad : new String[] {"telegram:5", "discord:dm:", "discord:abc:200", "discord:1:2:3:4", null}) {
      assertThatThrownBy(() -> DiscordTarget.parse(bad)).isInstanceOf(DeliveryException.class)
          .satisfies(e -> assertThat(((DeliveryException) e).failure().isPermanent()).isTrue());
    }
  }
}
