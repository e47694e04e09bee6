package ai.spacebot.messaging;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.DeliveryFailure;
import ai.spacebot.bus.DeliveryReceipt;
import ai.spacebot.config.DeliveryConfig;
import ai.spacebot.store.OutboxRepository;
import ai.spacebot.store.PendingDelivery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox rows to their platform adapter over the bus and records the result: delivered (with the
 * platform's ids), or failed after {@code max_attempts} tries with exponential backoff. A permanent failure
 * (the adapter's {@link DeliveryFailure#PERMANENT}) is not retried; a rate limit waits at least as long as the
 * platform asked. Parts of a split message that went out before a failure are recorded, so the next attempt —
 * also after a restart — sends only the rest.
 */
public final class OutboxDispatcher {
  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(60_000);

  private final Vertx vertx;
  private final OutboxRepository outbox;
  private final DeliveryConfig config;

  public OutboxDispatcher(Vertx vertx, OutboxRepository outbox, DeliveryConfig config) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.config = config;
  }

  /** Delivers one row; the future completes when it is recorded as delivered or failed. */
  public Future<Void> deliver(PendingDelivery delivery) {
    Promise<Void> done = Promise.promise();
    attempt(delivery, done);
    return done.future();
  }

  private void attempt(PendingDelivery d, Promise<Void> done) {
    PendingDelivery tried = new PendingDelivery(d.outboxId(), d.message(), d.attempts() + 1);
    vertx.eventBus().<JsonObject>request(Addresses.outbound(d.message().platform()), d.message().toJson(), SEND)
        .onSuccess(reply -> outbox.markDelivered(tried, DeliveryReceipt.fromJson(reply.body()).platformMessageIds())
            .onComplete(done))
        .onFailure(err -> {
          DeliveryFailure failure = DeliveryFailure.from(err);
          PendingDelivery progressed = new PendingDelivery(tried.outboxId(),
              tried.message().withDeliveredParts(failure.deliveredParts()), tried.attempts());
          if (failure.isPermanent() || tried.attempts() >= config.maxAttempts()) {
            log.warn("[{}] Delivery {} failed after {} attempt(s){}: {}", d.message().conversationId(), d.outboxId(),
                tried.attempts(), failure.isPermanent() ? " (permanent)" : "", failure.error());
            outbox.markFailed(progressed, failure.error()).onComplete(done);
            return;
          }
          long backoff = Math.min(config.maxBackoffMillis(), config.initialBackoffMillis() << (tried.attempts() - 1));
          long wait = Math.max(backoff, failure.retryAfterMillis());
          log.info("[{}] Delivery {} failed ({}); retrying in {} ms", d.message().conversationId(), d.outboxId(),
              failure.error(), wait);
          Future<Void> recorded = progressed.message().deliveredParts().size() > d.message().deliveredParts().size()
              ? outbox.recordProgress(progressed) : Future.succeededFuture();
          recorded.onComplete(ar -> vertx.setTimer(wait, t -> attempt(progressed, done)));
        });
  }
}
