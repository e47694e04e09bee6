package ai.spacebot.messaging;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.secrets.SecretScrubber;
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
 * platform's ids), or failed after {@code max_attempts} tries (a webhook's own {@code max_attempts} for its
 * conversations) with exponential backoff. A permanent failure
 * (the adapter's {@link DeliveryFailure#PERMANENT}) is not retried; a rate limit waits at least as long as the
 * platform asked. Parts of a split message that went out before a failure are recorded, so the next attempt —
 * also after a restart — sends only the rest.
 *
 * <p>Every message for a platform leaves through here (it is the only sender on the adapters' outbound
 * addresses), so this is the last check before a platform sees text: known secret values are redacted and a
 * message holding a credential format is replaced by the withheld notice, whatever path queued it (a turn, a
 * command, an apology, a row left from before a restart, an operator's retry).
 */
public final class OutboxDispatcher {
  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(60_000);

  private final Vertx vertx;
  private final OutboxRepository outbox;
  private final DeliveryConfig config;
  private final SecretScrubber scrubber;
  private final OutboundGuard guard;
  private final EventPublisher events;

  public OutboxDispatcher(Vertx vertx, OutboxRepository outbox, DeliveryConfig config) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.config = config;
    this.scrubber = SecretScrubber.of(vertx);
    this.guard = new OutboundGuard(scrubber);
    this.events = new EventPublisher(vertx);
  }

  /** Delivers one row; the future completes when it is recorded as delivered or failed. */
  public Future<Void> deliver(PendingDelivery delivery) {
    Promise<Void> done = Promise.promise();
    attempt(sealed(delivery), done);
    return done.future();
  }

  private PendingDelivery sealed(PendingDelivery d) {
    OutboundGuard.Sealed sealed = guard.seal(d.message());
    if (sealed.message() == d.message()) {
      return d;
    }
    if (sealed.withheld()) {
      OutboundMessage m = d.message();
      log.warn("[{}] Withheld delivery {}: it looked like it held a credential ({})", m.conversationId(),
          d.outboxId(), sealed.withheldFor().wireName());
      events.publish(new AgentEvent.SecretLeakBlocked(m.agentId(), m.conversationId(),
          sealed.withheldFor().wireName(), "delivery", m.id()));
    }
    return new PendingDelivery(d.outboxId(), sealed.message(), d.attempts());
  }

  private void attempt(PendingDelivery d, Promise<Void> done) {
    PendingDelivery tried = new PendingDelivery(d.outboxId(), d.message(), d.attempts() + 1);
    vertx.eventBus().<JsonObject>request(Addresses.outbound(d.message().platform()), d.message().toJson(), SEND)
        .onSuccess(reply -> outbox.markDelivered(tried, DeliveryReceipt.fromJson(reply.body()).platformMessageIds())
            .onComplete(done))
        .onFailure(err -> {
          DeliveryFailure raw = DeliveryFailure.from(err);
          // The error is logged and kept with the row (GET /api/deliveries): a platform's error can quote a URL
          // with the bot token in it.
          DeliveryFailure failure = new DeliveryFailure(raw.code(), scrubber.redactAll(raw.error()),
              raw.retryAfterMillis(), raw.deliveredParts());
          PendingDelivery progressed = new PendingDelivery(tried.outboxId(),
              tried.message().withDeliveredParts(failure.deliveredParts()), tried.attempts());
          if (failure.isPermanent() || tried.attempts() >= config.maxAttemptsFor(d.message().conversationId())) {
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
