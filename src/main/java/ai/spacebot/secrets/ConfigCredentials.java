package ai.spacebot.secrets;

import ai.spacebot.config.DiscordConfig;
import ai.spacebot.config.SlackConfig;
import ai.spacebot.config.TwitchConfig;
import ai.spacebot.config.ProviderConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.TelegramConfig;
import ai.spacebot.config.WebhookConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registers every credential the typed config holds as a {@link SecretCategory#SYSTEM} known secret, named
 * after its config key: model providers' API keys and credential headers, the Telegram and Discord bot tokens
 * and Telegram's webhook secret, the generic webhooks' secrets, {@code api.auth_token}, and the password in the Postgres URL. Values the config
 * took from the environment or from the secret store are the same strings here, so this covers both.
 */
public final class ConfigCredentials {
  /** Header names whose values are credentials (Authorization, api-key, x-api-key, cookies, ...). */
  private static final Pattern CREDENTIAL_HEADER = Pattern.compile("(?i).*(auth|key|token|secret|cookie|password).*");
  private static final Pattern SCHEME = Pattern.compile("(?i)^(bearer|basic|token)\\s+(\\S+)$");
  private static final Pattern URL_PASSWORD = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@?#]*:([^@/?#]*)@");
  private static final Pattern QUERY_PASSWORD = Pattern.compile("[?&]password=([^&#]*)");

  private ConfigCredentials() {}

  public static void register(SpacebotConfig config, KnownSecrets secrets) {
    for (Map.Entry<String, ProviderConfig> p : config.llm().providers().entrySet()) {
      String key = "llm.providers." + p.getKey();
      put(secrets, key + ".api_key", p.getValue().apiKey());
      for (Map.Entry<String, String> h : p.getValue().headers().entrySet()) {
        if (CREDENTIAL_HEADER.matcher(h.getKey()).matches()) {
          String name = key + ".headers." + h.getKey().toLowerCase(Locale.ROOT);
          put(secrets, name, h.getValue());
          Matcher scheme = SCHEME.matcher(h.getValue() == null ? "" : h.getValue().strip());
          if (scheme.matches()) {
            put(secrets, name + ".token", scheme.group(2));
          }
        }
      }
    }
    put(secrets, "api.auth_token", config.api().authToken());
    TelegramConfig telegram = config.messaging().telegram();
    if (telegram != null) {
      put(secrets, "messaging.telegram.token", telegram.token());
      put(secrets, "messaging.telegram.webhook_secret", telegram.webhookSecret());
    }
    DiscordConfig discord = config.messaging().discord();
    if (discord != null) {
      put(secrets, "messaging.discord.token", discord.token());
    }
    for (WebhookConfig w : config.messaging().webhooks()) {
      put(secrets, "messaging.webhooks." + w.id() + ".secret", w.secret());
      put(secrets, "messaging.webhooks." + w.id() + ".callback_secret", w.callbackSecret());
    }
    SlackConfig slack = config.messaging().slack();
    if (slack != null) {
      put(secrets, "messaging.slack.bot_token", slack.botToken());
      put(secrets, "messaging.slack.app_token", slack.appToken());
      put(secrets, "messaging.slack.signing_secret", slack.signingSecret());
    }
    TwitchConfig twitch = config.messaging().twitch();
    if (twitch != null) {
      put(secrets, "messaging.twitch.oauth_token", twitch.token());
    }
    put(secrets, "store.postgres.password", postgresPassword(config.store().postgresUrl()));
  }

  /** The password in {@code scheme://user:password@host/...} or a {@code password=} query parameter, or null. */
  static String postgresPassword(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = URL_PASSWORD.matcher(url);
    if (m.find()) {
      return decode(m.group(1));
    }
    Matcher q = QUERY_PASSWORD.matcher(url);
    return q.find() ? decode(q.group(1)) : null;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static void put(KnownSecrets secrets, String name, String value) {
    if (value != null && !value.isBlank()) {
      secrets.put(name, value, SecretCategory.SYSTEM);
    }
  }
}
