package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every credential the config holds, wherever it came from, is a known system secret named by its key. */
class ConfigCredentialsTest {
  @Test
  void registersProviderKeysBotTokensTheApiTokenAndThePostgresPassword() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-creds");
    Files.writeString(dir.resolve("config.yaml"), """
        llm:
          providers:
            gateway:
              kind: openai
              base_url: http://127.0.0.1:9/v1
              headers:
                Authorization: Bearer gw-header-token-123
                HTTP-Referer: https://example.org/app
        messaging:
          telegram:
            webhook_secret: tg-webhook-secret-9
          webhooks:
            - {id: tickets, secret: tickets-bearer-secret-01, callback_secret: tickets-hmac-key-02}
        """);
    Map<String, String> env = Map.of(
        "SPACEBOT_DIR", dir.toString(),
        "OPENAI_API_KEY", "sk-openai-key-from-env",
        "ANTHROPIC_API_KEY", "sk-ant-key-from-env-1",
        "TELEGRAM_BOT_TOKEN", "123456:telegram-bot-token",
        "DISCORD_BOT_TOKEN", "discord.bot.token-value",
        "SPACEBOT_AUTH_TOKEN", "operator-token-1234",
        "SPACEBOT_PG_URL", "postgresql://spacebot:p%40ss-word-99@db.internal:5432/spacebot");
    SpacebotConfig config = new ConfigLoader(env).load(null);
    KnownSecrets secrets = new KnownSecrets();
    ConfigCredentials.register(config, secrets);
    Map<String, String> byName = new TreeMap<>();
    secrets.all().forEach(e -> {
      assertThat(e.category()).isEqualTo(SecretCategory.SYSTEM);
      byName.put(e.name(), e.value());
    });
    assertThat(byName).containsEntry("llm.providers.openai.api_key", "sk-openai-key-from-env")
        .containsEntry("llm.providers.anthropic.api_key", "sk-ant-key-from-env-1")
        .containsEntry("llm.providers.gateway.headers.authorization", "Bearer gw-header-token-123")
        .containsEntry("llm.providers.gateway.headers.authorization.token", "gw-header-token-123")
        .containsEntry("messaging.telegram.token", "123456:telegram-bot-token")
        .containsEntry("messaging.telegram.webhook_secret", "tg-webhook-secret-9")
        .containsEntry("messaging.discord.token", "discord.bot.token-value")
        .containsEntry("messaging.webhooks.tickets.secret", "tickets-bearer-secret-01")
        .containsEntry("messaging.webhooks.tickets.callback_secret", "tickets-hmac-key-02")
        .containsEntry("api.auth_token", "operator-token-1234")
        .containsEntry("store.postgres.password", "p@ss-word-99")
        .doesNotContainKey("llm.providers.gateway.headers.http-referer");
  }

  @Test
  void postgresPasswordFromUserInfoOrQuery() {
    assertThat(ConfigCredentials.postgresPassword("postgresql://u:secret-1@h/db")).isEqualTo("secret-1");
    assertThat(ConfigCredentials.postgresPassword("postgresql://h/db?user=u&password=secret-2")).isEqualTo("secret-2");
    assertThat(ConfigCredentials.postgresPassword("postgresql://u@h/db")).isNull();
    assertThat(ConfigCredentials.postgresPassword(null)).isNull();
  }
}
