package ai.spacebot.messaging.telegram;

import ai.spacebot.messaging.AdapterVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Telegram long polling, our own loop over TelegramBots' client ({@code getUpdates} through
 * {@link TelegramApi#poll}).
 *
 * <p>Why not {@code TelegramBotsLongPollingApplication}: its {@code BotSession} (10.2.0, read from the bytecode)
 * moves its offset past a batch <em>before</em> handing it to the consumer, whose {@code consume(List)} returns
 * nothing, so the next {@code getUpdates} confirms updates we may not have stored yet — a crash then loses them.
 * It also logs failures and sleeps its own backoff on its own thread without telling anyone, so the adapter could
 * not report "reconnecting" or tell a 409 Conflict (another poller) or a 401 (a revoked token) from a network
 * blip. Here the offset advances, and is saved ({@link Listener#saveOffset}), only after every update of a batch is
 * stored; Telegram confirms an update only when a later {@code getUpdates} carries a higher offset, so an update is
 * either stored or redelivered, and a redelivered one is dropped by the store's deduplication. After a restart the
 * loop starts from the saved offset.
 *
 * <p>Everything runs on the adapter's context; the poll itself waits on OkHttp's thread, never on an event loop.
 */
final class TelegramPoller {
  private static final Logger log = LoggerFactory.getLogger(TelegramPoller.class);
  static final List<String> UPDATES = List.of("message", "edited_message", "callback_query");
  private static final int LIMIT = 100;
  /** A server that ignores the long-poll timeout (answers [] at once) must not make us spin. */
  private static final long MIN_EMPTY_POLL_MS = 200;
  private static final long STORE_RETRY_MS = 1000;

  /** What the poller reports to its adapter. */
  interface Listener {
    /** Stores the updates of one batch; completes once all of them are stored (or knowingly dropped). */
    Future<Void> batch(List<Update> updates);

    Future<Void> saveOffset(int offset);

    /** The poll failed in a way worth retrying (network, 5xx, 409). */
    void lost(String why);

    /** Telegram refused the token: only an operator can fix it. */
    void refused(String what);
  }

  private final Vertx vertx;
  private final TelegramApi api;
  private final int timeoutSeconds;
  private final Listener listener;
  private int generation;
  private Integer offset;

  TelegramPoller(Vertx vertx, TelegramApi api, int timeoutSeconds, Listener listener) {
    this.vertx = vertx;
    this.api = api;
    this.timeoutSeconds = timeoutSeconds;
    this.listener = listener;
  }

  /**
   * Starts polling from {@code savedOffset} (null: whatever Telegram still holds). The first poll does not wait
   * (timeout 0), so the future says soon whether Telegram answers; it fails as the connection attempt does.
   */
  Future<Void> start(Integer savedOffset) {
    int gen = ++generation;
    offset = savedOffset;
    Promise<Void> first = Promise.promise();
    poll(gen, 0, first);
    return first.future();
  }

  /** Stops the loop and abandons the poll in flight; updates it may have fetched are redelivered later. */
  void stop() {
    generation++;
    api.cancelPolls();
  }

  Integer offset() {
    return offset;
  }

  private void poll(int gen, int timeout, Promise<Void> first) {
    GetUpdates ask = GetUpdates.builder().offset(offset).limit(LIMIT).timeout(timeout).allowedUpdates(UPDATES).build();
    long started = System.nanoTime();
    api.poll(ask).onComplete(ar -> {
      if (gen != generation) {
        return;
      }
      if (ar.failed()) {
        failed(gen, ar.cause(), first);
        return;
      }
      if (first != null) {
        first.complete();
      }
      List<Update> updates = ar.result();
      if (updates.isEmpty()) {
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        if (timeout > 0 && tookMs < MIN_EMPTY_POLL_MS) {
          vertx.setTimer(MIN_EMPTY_POLL_MS, t -> next(gen));
        } else {
          next(gen);
        }
        return;
      }
      int nextOffset = updates.stream().mapToInt(Update::getUpdateId).max().orElseThrow() + 1;
      listener.batch(updates).compose(v -> listener.saveOffset(nextOffset)).onComplete(stored -> {
        if (gen != generation) {
          return;
        }
        if (stored.succeeded()) {
          offset = nextOffset;
          next(gen);
        } else {
          // Not confirmed: the next poll from the old offset gets the same updates back.
          log.warn("[telegram] Could not store a batch of {} updates ({}); fetching them again in {} ms",
              updates.size(), stored.cause().getMessage(), STORE_RETRY_MS);
          vertx.setTimer(STORE_RETRY_MS, t -> next(gen));
        }
      });
    });
  }

  /** A poll that failed; its message is what the adapter's status shows. */
  static final class PollFailed extends RuntimeException {
    PollFailed(String message) {
      super(message, null, false, false);
    }
  }

  private void next(int gen) {
    if (gen == generation) {
      poll(gen, timeoutSeconds, null);
    }
  }

  private void failed(int gen, Throwable err, Promise<Void> first) {
    Integer code = TelegramErrors.code(err);
    String why = TelegramErrors.describe(err);
    if (code != null && (code == 401 || code == 404)) {
      String what = "Telegram refused the bot token (" + why + "); set TELEGRAM_BOT_TOKEN to the token @BotFather "
          + "gave you (/mybots > your bot > API Token)";
      if (first != null) {
        first.fail(new AdapterVerticle.ConnectionRefused(what));
      } else {
        generation++;
        listener.refused(what);
      }
      return;
    }
    if (code != null && code == 429) {
      Integer seconds = TelegramErrors.unwrap(err) instanceof TelegramApiRequestException r && r.getParameters() != null
          ? r.getParameters().getRetryAfter() : null;
      long wait = seconds == null ? TelegramErrors.DEFAULT_RETRY_AFTER_MS : seconds * 1000L;
      log.info("[telegram] getUpdates rate limited; polling again in {} ms", wait);
      if (first != null) {
        first.complete();
      }
      vertx.setTimer(wait, t -> next(gen));
      return;
    }
    String lost = code != null && code == 409
        ? "another bot instance or a webhook is using this token (" + why + "); stop the other instance"
        : "getUpdates failed: " + why;
    if (first != null) {
      first.fail(new PollFailed(lost));
    } else {
      generation++;
      listener.lost(lost);
    }
  }
}
