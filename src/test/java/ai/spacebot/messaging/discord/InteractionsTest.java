package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InteractionsTest {
  @Test
  void aClickIsRememberedWithItsMessageAndForgottenLater() {
    AtomicLong now = new AtomicLong(1_000);
    Interactions ix = new Interactions(now::get);
    ix.click("ix:1", "42");
    assertThat(ix.find("ix:1").messageId()).isEqualTo("42");
    assertThat(ix.find("ix:2")).isNull();
    assertThat(ix.find(null)).isNull();
    // The clicked message outlives the interaction token: replies may still point at it for a while
    now.addAndGet(Interactions.TOKEN_MILLIS + 1);
    assertThat(ix.find("ix:1").messageId()).isEqualTo("42");
    now.addAndGet(Interactions.TOKEN_MILLIS * 2);
    ix.click("ix:3", "43");
    assertThat(ix.find("ix:1")).isNull();
    assertThat(ix.size()).isEqualTo(1);
  }

  @Test
  void ourIdsAreTellableFromDiscordMessageIds() {
    assertThat(Interactions.isInteraction("ix:123")).isTrue();
    assertThat(Interactions.isInteraction("123")).isFalse();
    assertThat(Interactions.isInteraction(null)).isFalse();
  }

  @Test
  void onlyTheFirstMessageOfACommandFillsItsOriginalResponseAndItsRetriesStillDo() {
    Interactions ix = new Interactions(() -> 1_000);
    ix.command("ix:9", null);
    Interactions.Pending p = ix.find("ix:9");
    assertThat(p.editsOriginal("reply-1")).isTrue();
    assertThat(p.editsOriginal("reply-2")).as("a second message is a follow-up").isFalse();
    assertThat(p.editsOriginal("reply-1")).as("a retry of the first edits it again").isTrue();
  }
}
