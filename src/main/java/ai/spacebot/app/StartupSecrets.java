package ai.spacebot.app;

import ai.spacebot.api.ApiVerticle;
import ai.spacebot.bus.AdapterStatus;
import ai.spacebot.bus.Addresses;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.discord.DiscordAdapterVerticle;
import ai.spacebot.messaging.slack.SlackAdapterVerticle;
import ai.spacebot.messaging.telegram.TelegramAdapterVerticle;
import ai.spacebot.messaging.webhook.WebhookAdapterVerticle;
import ai.spacebot.messaging.twitch.TwitchAdapterVerticle;
import ai.spacebot.secrets.KeySource;
import ai.spacebot.secrets.KnownSecrets;
import ai.spacebot.secrets.SecretStore;
import ai.spacebot.store.SecretRows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret store at start: open it, unlock it from {@code SPACEBOT_SECRETS_PASSPHRASE} or {@code secrets.key_file}
 * if it is encrypted, and say what waits while it stays locked (the log, {@code /api/health}, the adapters' status).
 */
final class StartupSecrets {
  private static final Logger log = LoggerFactory.getLogger(StartupSecrets.class);

  private StartupSecrets() {}

  static Future<SecretStore> open(Vertx vertx, SpacebotConfig config, SecretRows rows) {
    return SecretStore.open(vertx, rows, KnownSecrets.of(vertx)).compose(store -> {
      KeySource key = config.secrets().passphrase() != null
          ? new KeySource.Passphrase(config.secrets().passphrase().toCharArray())
          : config.secrets().keyFile() != null ? new KeySource.KeyFile(config.secrets().keyFile()) : null;
      String from = config.secrets().passphrase() != null ? "SPACEBOT_SECRETS_PASSPHRASE" : "secrets.key_file";
      switch (store.state()) {
        case UNENCRYPTED:
          if (store.status().count() > 0) {
            log.warn("Secret store: {} secret(s) stored UNENCRYPTED in the database; encrypt them with "
                + "'spacebot secrets encrypt'", store.status().count());
          }
          if (key != null) {
            log.warn("Secret store: {} is set but the store is not encrypted; nothing to unlock", from);
          }
          return Future.succeededFuture(store);
        case LOCKED:
          if (key == null) {
            log.warn("Secret store: encrypted and LOCKED (no SPACEBOT_SECRETS_PASSPHRASE or secrets.key_file); "
                + "unlock it with 'spacebot secrets unlock'");
            return Future.succeededFuture(store);
          }
          // A wrong key leaves the store locked rather than stopping the server: the operator can unlock it later.
          return store.unlock(key)
              .onSuccess(s -> log.info("Secret store: unlocked with {} ({} secrets)", from, s.count()))
              .recover(err -> {
                log.error("Secret store: could not unlock with {}: {}; it stays locked", from, err.getMessage());
                return Future.succeededFuture(store.status());
              })
              .map(store);
        default:
          return Future.succeededFuture(store);
      }
    });
  }

  /** Logs each config value that waits for the locked store and publishes the list for {@code /api/health}. */
  static void reportWaiting(Vertx vertx, SpacebotConfig config) {
    JsonArray list = new JsonArray();
    config.secrets().waiting().forEach((key, secret) -> {
      list.add(new JsonObject().put("key", key).put("secret", secret));
      log.warn("Waiting for secret {} ({}): the secret store is locked", secret, key);
    });
    vertx.sharedData().getLocalMap(ApiVerticle.NODE_STATE).put(ApiVerticle.SECRETS_WAITING, list);
  }

  /** Provider id → the secret its key or headers wait for. */
  static Map<String, String> waitingProviders(SpacebotConfig config) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String id : config.llm().providers().keySet()) {
      config.secrets().waitingUnder("llm.providers." + id + ".").ifPresent(secret -> out.put(id, secret));
    }
    return out;
  }

  /** The secret an adapter's config waits for, or null (also for deployments that are not adapters). */
  static String adapterWaitsFor(Deployment d, SpacebotConfig config) {
    String prefix = d.className().equals(TelegramAdapterVerticle.class.getName()) ? "messaging.telegram."
        : d.className().equals(DiscordAdapterVerticle.class.getName()) ? "messaging.discord."
        : d.className().equals(WebhookAdapterVerticle.class.getName()) ? "messaging.webhooks"
        : d.className().equals(SlackAdapterVerticle.class.getName()) ? "messaging.slack."
        : d.className().equals(TwitchAdapterVerticle.class.getName()) ? "messaging.twitch." : null;
    return prefix == null ? null : config.secrets().waitingUnder(prefix).orElse(null);
  }

  /** What {@code GET /api/adapters} shows for an adapter that was not started. */
  static void markAdapterWaiting(Vertx vertx, Deployment d, String secret) {
    String platform = d.className().equals(TelegramAdapterVerticle.class.getName()) ? "telegram"
        : d.className().equals(WebhookAdapterVerticle.class.getName()) ? WebhookAdapterVerticle.PLATFORM
        : d.className().equals(SlackAdapterVerticle.class.getName()) ? "slack"
        : d.className().equals(TwitchAdapterVerticle.class.getName()) ? "twitch" : "discord";
    long now = System.currentTimeMillis();
    String why = "waiting for secret " + secret + ": the secret store is locked; unlock it with 'spacebot secrets unlock'";
    log.warn("Adapter {} not started: {}", platform, why);
    JsonObject status = new AdapterStatus(platform, platform, AdapterStatus.WAITING, why, now, 0, 0, 0, 0, now,
        ManagementFactory.getRuntimeMXBean().getName()).toJson();
    vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.ADAPTERS_MAP).compose(map -> map.put(platform, status));
  }
}
