package ai.spacebot.messaging.webhook;

import java.util.regex.Pattern;

/**
 * A webhook conversation id, {@code webhook:{webhook}:{conversation}}: the webhook's id (no colons) and the other
 * system's own conversation id (a ticket number, a phone number, an e-mail address; it may hold colons).
 */
public record WebhookTarget(String webhookId, String conversation) {
  public static final String PLATFORM = "webhook";
  /** What the other system may call a conversation: it appears in URLs and in our conversation ids. */
  static final Pattern CONVERSATION = Pattern.compile("[A-Za-z0-9._:@+-]{1,200}");

  public static WebhookTarget parse(String conversationId) {
    String prefix = PLATFORM + ":";
    int colon = conversationId == null ? -1 : conversationId.indexOf(':', prefix.length());
    if (colon < 0 || !conversationId.startsWith(prefix)) {
      throw new IllegalArgumentException("not a webhook conversation id (webhook:{id}:{conversation}): "
          + conversationId);
    }
    return new WebhookTarget(conversationId.substring(prefix.length(), colon), conversationId.substring(colon + 1));
  }

  public String conversationId() {
    return PLATFORM + ":" + webhookId + ":" + conversation;
  }
}
