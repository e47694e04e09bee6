package ai.spacebot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** messaging.webhooks: each webhook's keys, defaults and mistakes, and bindings by webhook_id. */
class WebhookConfigTest {
  @TempDir Path dir;

  private SpacebotConfig load(String yaml, String... env) throws IOException {
    Map<String, String> vars = new HashMap<>();
    vars.put("SPACEBOT_DIR", dir.toString());
    for (int i = 0; i < env.length; i += 2) {
      vars.put(env[i], env[i + 1]);
    }
    Files.writeString(dir.resolve("config.yaml"), yaml);
    return new ConfigLoader(vars).load(null);
  }

  @Test
  void readsWebhooksWithTheirDefaultsAndSecretReferences() throws IOException {
    SpacebotConfig config = load("""
        agents:
          - id: main
          - id: helpdesk
        messaging:
          webhooks:
            - id: tickets
              secret: env:TICKETS_SECRET
              callback_url: https://tickets.example.org/spacebot
              typing_events: true
              authority: [ops-1]
            - id: phone
              secret: a-phone-bridge-secret-0123
              callback_secret: another-key
              timeout_ms: 500
              max_attempts: 7
        bindings:
          - {platform: webhook, webhook_id: tickets, agent_id: helpdesk}
        """, "TICKETS_SECRET", "from-the-environment-0123");
    MessagingConfig m = config.messaging();
    assertThat(m.webhooks()).hasSize(2);
    WebhookConfig tickets = m.webhook("tickets").orElseThrow();
    assertThat(tickets.secret()).isEqualTo("from-the-environment-0123");
    assertThat(tickets.signingKey()).isEqualTo("from-the-environment-0123");
    assertThat(tickets.callbackUrl()).isEqualTo("https://tickets.example.org/spacebot");
    assertThat(tickets.typingEvents()).isTrue();
    assertThat(tickets.timeoutMillis()).isEqualTo(10_000);
    assertThat(tickets.authority()).isEqualTo(Set.of("ops-1"));
    WebhookConfig phone = m.webhook("phone").orElseThrow();
    assertThat(phone.callbackUrl()).isNull();
    assertThat(phone.signingKey()).isEqualTo("another-key");
    assertThat(phone.typingEvents()).isFalse();
    assertThat(phone.timeoutMillis()).isEqualTo(500);
    assertThat(phone.maxAttempts()).isEqualTo(7);
    assertThat(tickets.maxAttempts()).isNull();
    assertThat(config.delivery().maxAttemptsFor("webhook:phone:+49")).isEqualTo(7);
    assertThat(config.delivery().maxAttemptsFor("webhook:tickets:T-1")).isEqualTo(3);
    assertThat(config.delivery().maxAttemptsFor("telegram:1")).isEqualTo(3);
    assertThat(m.webhook("nobody")).isEmpty();
    assertThat(m.bindingFor("webhook", "tickets", "T-1", false).orElseThrow().agentId()).isEqualTo("helpdesk");
    assertThat(m.bindingFor("webhook", "phone", "+49", false)).isEmpty();
  }

  @Test
  void noWebhooksByDefault() throws IOException {
    assertThat(load("agents:\n  - id: main\n").messaging().webhooks()).isEmpty();
  }

  @Test
  void everyMistakeNamesItsKey() {
    assertBad("    - {secret: a-long-enough-secret-0123}\n", "messaging.webhooks[0].id", "1-64 of a-z");
    assertBad("    - {id: Tickets, secret: a-long-enough-secret-0123}\n", "messaging.webhooks[0].id", "1-64");
    assertBad("    - {id: t, secret: a-long-enough-secret-0123}\n    - {id: t, secret: a-long-enough-secret-0123}\n",
        "messaging.webhooks[1].id", "a second time");
    assertBad("    - {id: t}\n", "messaging.webhooks[0].secret", "is required");
    assertBad("    - {id: t, secret: short}\n", "messaging.webhooks[0].secret", "at least 16");
    assertBad("    - {id: t, secret: a-long-enough-secret-0123, callback_url: ftp://x}\n",
        "messaging.webhooks[0].callback_url", "http(s) URL");
    assertBad("    - {id: t, secret: a-long-enough-secret-0123, url: http://x}\n", "messaging.webhooks[0].url",
        "not a webhook key");
    assertBad("    - {id: t, secret: a-long-enough-secret-0123, max_attempts: 0}\n", "messaging.webhooks[0].max_attempts",
        "");
    assertBad("    - {id: t, secret: env:NOT_SET_ANYWHERE}\n", "messaging.webhooks[0].secret", "NOT_SET_ANYWHERE");
  }

  private void assertBad(String webhooks, String key, String problem) {
    assertThatThrownBy(() -> load("messaging:\n  webhooks:\n" + webhooks))
        .isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining(problem);
  }
}
