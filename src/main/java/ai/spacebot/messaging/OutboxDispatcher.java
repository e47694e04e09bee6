package ai.spacebot.messaging;

import ai.spacebot.bus.Addresses;
import ai.spacebot.config.DeliveryConfig;
import ai.spacebot.store.PendingDelivery;
import ai.spacebot.store.TranscriptRepository;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox rows to their platform adapter over the bus and records the result: delivered, or
 * failed after {@code max_attempts} tries with exponential backoff. An adapter's
 * {@link Addresses#PERMANENT_FAILURE} reply is not retried.
 */
public final class OutboxDispatcher {
  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(30_000);

  private final Vertx vertx;
  private final TranscriptRepository transcript;
  private final DeliveryConfig config;

  public OutboxDispatcher(Vertx vertx, TranscriptRepository transcript, DeliveryConfig config) {
    this.vertx = vertx;
    this.transcript = transcript;
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
    vertx.eventBus().request(Addresses.outbound(d.message().platform()), d.message().toJson(), SEND)
        .onSuccess(reply -> transcript.markDelivered(tried).onComplete(done))
        .onFailure(err -> {
          boolean permanent = err instanceof ReplyException re
              && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == Addresses.PERMANENT_FAILURE;
          if (permanent || tried.attempts() >= config.maxAttempts()) {
            log.warn("Delivery of {} to {} failed after {} attempt(s): {}", d.outboxId(), d.message().conversationId(),
                tried.attempts(), err.getMessage());
            transcript.markFailed(tried, String.valueOf(err.getMessage())).onComplete(done);
            return;
          }
          long backoff = Math.min(config.maxBackoffMillis(), config.initialBackoffMillis() << (tried.attempts() - 1));
          log.info("Delivery of {} failed ({}); retrying in {} ms", d.outboxId(), err.getMessage(), backoff);
          vertx.setTimer(backoff, t -> attempt(tried, done));
        });
  }
}
