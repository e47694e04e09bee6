package ai.spacebot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code secret:NAME} and {@code env:VAR} config values: resolved, waiting for a locked store, or a clear error. */
class SecretReferencesTest {
  @TempDir Path dir;

  private static final String YAML = """
      llm:
        providers:
          main:
            kind: openai
            api_key: secret:OPENAI_KEY
            base_url: http://127.0.0.1:1/v1
            default_model: scripted
      messaging:
        telegram:
          token: secret:TG_TOKEN
      """;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("SPACEBOT_DIR", dir.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private SpacebotConfig load(String yaml, Map<String, String> env) throws IOException {
    Files.writeString(dir.resolve("config.yaml"), yaml);
    return new ConfigLoader(env).load(null);
  }

  @Test
  void beforeTheStoreIsOpenSecretValuesWaitAndKeepTheirProviderAndAdapter() throws IOException {
    SpacebotConfig config = load(YAML, env());
    assertThat(config.secrets().waiting()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "llm.providers.main.api_key", "OPENAI_KEY", "messaging.telegram.token", "TG_TOKEN"));
    assertThat(config.llm().providers().get("main").apiKey()).isNull();
    assertThat(config.agents().get(0).routing().channel()).isEqualTo("main/scripted");
    assertThat(config.messaging().telegram().enabled()).isTrue();
    assertThat(config.messaging().telegram().token()).isNull();
    assertThat(config.secrets().waitingUnder("messaging.telegram.")).contains("TG_TOKEN");
    assertThat(config.secrets().waitingUnder("messaging.discord.")).isEmpty();
  }

  @Test
  void theStoreFillsThemIn() throws IOException {
    Map<String, String> store = Map.of("OPENAI_KEY", "sk-from-store-123", "TG_TOKEN", "123:telegram-token");
    SpacebotConfig config = load(YAML, env()).resolveSecrets(name -> store.containsKey(name)
        ? SecretLookup.Result.found(store.get(name)) : SecretLookup.Result.MISSING);
    assertThat(config.secrets().waiting()).isEmpty();
    assertThat(config.llm().providers().get("main").apiKey()).isEqualTo("sk-from-store-123");
    assertThat(config.messaging().telegram().token()).isEqualTo("123:telegram-token");
    // and once more from the resolved config (after a later unlock)
    assertThat(config.resolveSecrets(name -> SecretLookup.Result.WAITING).secrets().waiting()).hasSize(2);
  }

  @Test
  void aSecretTheStoreDoesNotHaveNamesTheKeyAndTheSecret() throws IOException {
    SpacebotConfig config = load(YAML, env());
    assertThatThrownBy(() -> config.resolveSecrets(name -> SecretLookup.Result.MISSING))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("llm.providers.main.api_key is secret:OPENAI_KEY, but the secret store has no secret "
            + "OPENAI_KEY; add it with: spacebot secrets set OPENAI_KEY (")
        .hasMessageContaining("config.yaml");
  }

  @Test
  void envValuesResolveAndAMissingVariableIsNamed() throws IOException {
    String yaml = YAML.replace("secret:OPENAI_KEY", "env:MY_MODEL_KEY").replace("secret:TG_TOKEN", "env:MY_TG");
    SpacebotConfig config = load(yaml, env("MY_MODEL_KEY", "sk-env-456", "MY_TG", "9:tg"));
    assertThat(config.llm().providers().get("main").apiKey()).isEqualTo("sk-env-456");
    assertThat(config.messaging().telegram().token()).isEqualTo("9:tg");
    assertThatThrownBy(() -> load(yaml, env("MY_TG", "9:tg"))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("llm.providers.main.api_key is env:MY_MODEL_KEY, but the environment variable "
            + "MY_MODEL_KEY is not set (");
  }

  @Test
  void whatOpensTheStoreCannotComeFromIt() throws IOException {
    assertThatThrownBy(() -> load("store:\n  kind: postgres\n  postgres:\n    url: secret:PG_URL\n", env()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres.url cannot come from the secret store, which is opened with it; use env:VAR instead");
    assertThatThrownBy(() -> load("api:\n  auth_token: secret:API_TOKEN\n", env())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("api.auth_token cannot come from the secret store (while it is locked the API would be open");
    assertThatThrownBy(() -> load("llm:\n  providers:\n    main:\n      api_key: secret:lower\n", env()))
        .hasMessageStartingWith("llm.providers.main.api_key names secret:lower; a secret name is upper-case letters");
  }

  @Test
  void keyFileIsUnderTheDataDirAndThePassphraseComesFromTheEnvironmentOnly() throws IOException {
    SpacebotConfig config = load("secrets:\n  key_file: secrets.key\n", env("SPACEBOT_SECRETS_PASSPHRASE", "pp"));
    assertThat(config.secrets().keyFile()).isEqualTo(dir.resolve("secrets.key"));
    assertThat(config.secrets().passphrase()).isEqualTo("pp");
    assertThat(config.secrets().toString()).doesNotContain("pp,").contains("passphrase=****");
    assertThatThrownBy(() -> load("secrets:\n  passphrase: x\n", env())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("secrets.passphrase is not a known key; known keys here: key_file");
  }
}
