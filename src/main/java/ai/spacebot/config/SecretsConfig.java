package ai.spacebot.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The secret store's settings ({@code secrets.*}) and what the config is waiting for.
 *
 * @param keyFile {@code secrets.key_file}: a 0600 key file that unlocks an encrypted store at start, or null
 * @param passphrase {@code SPACEBOT_SECRETS_PASSPHRASE} (environment only, never a file): unlocks it at start
 * @param waiting config key → secret name, for every {@code secret:NAME} value that could not be read (the store is
 *     locked, or not opened yet); those keys read as unset
 * @param resolver builds this configuration again with another lookup (after the store was opened or unlocked)
 */
public record SecretsConfig(Path keyFile, String passphrase, Map<String, String> waiting,
    Function<SecretLookup, SpacebotConfig> resolver) {
  public SecretsConfig {
    waiting = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(waiting)); // by key, for stable reports
  }

  /** The secret a key under {@code prefix} (e.g. {@code messaging.telegram.}) waits for, if any. */
  public Optional<String> waitingUnder(String prefix) {
    return waiting.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).sorted()
        .findFirst();
  }

  @Override
  public String toString() {
    return "SecretsConfig[keyFile=" + keyFile + ", passphrase=" + (passphrase == null ? "none" : "****") + ", waiting="
        + waiting + "]";
  }
}
