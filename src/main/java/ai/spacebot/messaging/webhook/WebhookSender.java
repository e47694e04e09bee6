package ai.spacebot.messaging.webhook;

import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.WebhookConfig;
import ai.spacebot.messaging.AdapterVerticle.Step;
import ai.spacebot.messaging.DeliveryException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers to a webhook: one signed JSON POST to its {@code callback_url} per message (never split: the other
 * system gets the Markdown as written). Without a callback the message is delivered at once: it waits in the outbox
 * for the polling route. What the callback answers decides the outcome: 2xx delivered; 429 waits its
 * {@code Retry-After}; 408, 5xx, a refused connection or a timeout are retried; any other 4xx is permanent.
 */
final class WebhookSender {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  /** When a 429 names no wait. */
  static final long DEFAULT_RETRY_AFTER_MS = 1000;

  private final SpacebotConfig config;
  private final WebClient client;

  WebhookSender(SpacebotConfig config, WebClient client) {
    this.config = config;
    this.client = client;
  }

  List<Step> plan(OutboundMessage out) {
    WebhookTarget target;
    try {
      target = WebhookTarget.parse(out.conversationId());
    } catch (IllegalArgumentException e) {
      throw DeliveryException.permanent(e.getMessage());
    }
    WebhookConfig webhook = config.messaging().webhook(target.webhookId()).orElseThrow(() ->
        DeliveryException.permanent("no webhook \"" + target.webhookId() + "\" is configured"));
    return List.of(() -> {
      if (webhook.callbackUrl() == null) {
        return Future.succeededFuture(out.id()); // kept in the outbox for GET .../messages
      }
      JsonObject body = new JsonObject().put("kind", out.kind()).put("webhook_id", webhook.id())
          .put("conversation_id", target.conversation()).put("message_id", out.id()).put("text", out.text())
          .put("in_reply_to", out.replyToPlatformId()).put("sent_at", System.currentTimeMillis());
      if (out.rich() != null) {
        body.put("rich", out.rich());
      }
      return post(webhook, body).map(response -> outcome(webhook, response, out.id()));
    });
  }

  /** A {@code typing} event, if the webhook asked for them; failures only logged. */
  void typing(String conversationId) {
    WebhookTarget target = WebhookTarget.parse(conversationId);
    config.messaging().webhook(target.webhookId())
        .filter(w -> w.callbackUrl() != null && w.typingEvents())
        .ifPresent(w -> post(w, new JsonObject().put("kind", "typing").put("webhook_id", w.id())
            .put("conversation_id", target.conversation()).put("sent_at", System.currentTimeMillis()))
            .onFailure(err -> log.debug("[webhook:{}] typing event not delivered: {}", w.id(), err.getMessage())));
  }

  private Future<HttpResponse<Buffer>> post(WebhookConfig webhook, JsonObject body) {
    String payload = body.encode();
    long timestamp = System.currentTimeMillis() / 1000;
    return client.postAbs(webhook.callbackUrl())
        .timeout(webhook.timeoutMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
        .putHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(webhook.signingKey(), timestamp, payload))
        .sendBuffer(Buffer.buffer(payload))
        .recover(err -> Future.failedFuture(DeliveryException.transientFailure("callback " + webhook.id()
            + " not reached: " + err.getClass().getSimpleName() + (err.getMessage() == null ? ""
            : ": " + err.getMessage()))));
  }

  static String outcome(WebhookConfig webhook, HttpResponse<Buffer> response, String id) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return id;
    }
    String what = "callback " + webhook.id() + " answered " + status;
    if (status == 429) {
      throw DeliveryException.rateLimited(what, retryAfterMillis(response.getHeader("Retry-After"),
          System.currentTimeMillis()));
    }
    if (status == 408 || status >= 500 || status < 200) {
      throw DeliveryException.transientFailure(what);
    }
    throw DeliveryException.permanent(what);
  }

  /** {@code Retry-After} as seconds or an HTTP date; the default wait when absent or unreadable. */
  static long retryAfterMillis(String header, long nowMillis) {
    if (header == null || header.isBlank()) {
      return DEFAULT_RETRY_AFTER_MS;
    }
    String value = header.strip();
    try {
      return Math.max(0, Long.parseLong(value)) * 1000;
    } catch (NumberFormatException e) {
      try {
        long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - nowMillis);
      } catch (DateTimeParseException e2) {
        return DEFAULT_RETRY_AFTER_MS;
      }
    }
  }
}
