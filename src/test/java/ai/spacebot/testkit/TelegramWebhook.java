package ai.spacebot.testkit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * Webhook delivery as Telegram does it: one update at a time, in order, POSTed as JSON with
 * {@code X-Telegram-Bot-Api-Secret-Token} when a secret was set; a non-2xx answer or a refused connection leaves
 * the update pending and it is retried after a growing pause (capped at 2 s here so tests stay fast; Telegram
 * waits longer). Runs on the shim's event loop only.
 */
final class TelegramWebhook {
  private record Target(String url, String secret, Set<String> types, int maxConnections, JsonArray allowed) {}

  private final Context context;
  private final HttpClient http;
  private final TelegramUpdates updates;
  private Target target;
  private boolean inFlight;
  private long generation;
  private long backoffMs = 100;
  private Long lastErrorDate;
  private String lastErrorMessage;

  TelegramWebhook(Vertx vertx, Context context, TelegramUpdates updates) {
    this.context = context;
    this.http = vertx.createHttpClient();
    this.updates = updates;
  }

  boolean active() {
    return target != null;
  }

  void set(String url, String secret, JsonArray allowedUpdates, int maxConnections) {
    Set<String> types = allowedUpdates == null || allowedUpdates.isEmpty()
        ? TelegramUpdates.DEFAULT_TYPES : Set.copyOf(allowedUpdates.getList());
    target = new Target(url, secret, types, maxConnections, allowedUpdates);
    generation++;
    inFlight = false;
    backoffMs = 100;
    kick();
  }

  void delete() {
    target = null;
    generation++;
    inFlight = false;
  }

  JsonObject info() {
    JsonObject info = new JsonObject().put("url", target == null ? "" : target.url())
        .put("has_custom_certificate", false).put("pending_update_count", updates.pendingCount());
    if (target != null) {
      info.put("max_connections", target.maxConnections());
      if (target.allowed() != null) {
        info.put("allowed_updates", target.allowed());
      }
      info.put("ip_address", "127.0.0.1");
    }
    if (lastErrorDate != null) {
      info.put("last_error_date", lastErrorDate).put("last_error_message", lastErrorMessage);
    }
    return info;
  }

  /** Delivers what is pending, if a webhook is set and nothing is in flight; safe to call from any thread. */
  void kick() {
    context.runOnContext(v -> pump());
  }

  private void pump() {
    if (target == null || inFlight) {
      return;
    }
    JsonObject update = updates.first(target.types()).orElse(null);
    if (update == null) {
      return;
    }
    Target to = target;
    long gen = generation;
    inFlight = true;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(to.url())
        .putHeader("content-type", "application/json").setIdleTimeout(10_000);
    if (to.secret() != null) {
      options.putHeader("X-Telegram-Bot-Api-Secret-Token", to.secret());
    }
    http.request(options)
        .compose(req -> req.send(update.encode()).compose(res -> res.body().map(b -> res)))
        .onComplete(ar -> {
          if (gen != generation) {
            return;  // the webhook changed meanwhile; its own pump is running
          }
          inFlight = false;
          int status = ar.succeeded() ? ar.result().statusCode() : 0;
          if (status >= 200 && status < 300) {
            updates.confirm(update.getInteger("update_id"));
            backoffMs = 100;
            pump();
            return;
          }
          lastErrorDate = Instant.now().getEpochSecond();
          lastErrorMessage = ar.succeeded()
              ? "Wrong response from the webhook: " + status + " " + ar.result().statusMessage()
              : "Connection refused";
          long wait = backoffMs;
          backoffMs = Math.min(backoffMs * 2, 2000);
          inFlight = true;
          context.owner().setTimer(wait, t -> {
            if (gen == generation) {
              inFlight = false;
              pump();
            }
          });
        });
  }

  void close() {
    delete();
    http.close();
  }
}
