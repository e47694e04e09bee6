package ai.spacebot.config;

import java.util.Set;

/**
 * The Telegram adapter ({@code messaging.telegram}); {@code TELEGRAM_BOT_TOKEN} alone enables it.
 *
 * @param apiUrl the Bot API server (a self-hosted one, or a local peer in tests)
 * @param mode {@code polling} (long polling; default) or {@code webhook}
 * @param webhookUrl the public URL Telegram posts updates to (webhook mode); its path is served by our API server
 * @param webhookSecret checked against the {@code X-Telegram-Bot-Api-Secret-Token} header
 * @param allowedChats chat ids the bot answers in (empty: all)
 * @param allowedDmUsers user ids that may talk to it privately (empty: everyone)
 * @param authority user ids that may use the authority commands where no binding names any
 */
public record TelegramConfig(boolean enabled, String token, String apiUrl, String mode, String webhookUrl,
    String webhookSecret, int pollTimeoutSeconds, Set<String> allowedChats, boolean dmAllowed,
    Set<String> allowedDmUsers, boolean ignoreBots, Set<String> authority, long typingIntervalMillis,
    long maxAttachmentBytes) {
  public static final String POLLING = "polling";
  public static final String WEBHOOK = "webhook";
}
