package ai.spacebot.messaging;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.AdapterStatus;
import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.DeliveryFailure;
import ai.spacebot.bus.DeliveryReceipt;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.Leadership;
import ai.spacebot.bus.MessageEdit;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.bus.TypingSignal;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract every platform adapter implements, and what they all share. An adapter is a verticle that
 * <ul>
 *   <li>connects to its platform ({@link #connect()}); a connection that fails or drops is retried with capped,
 *       jittered exponential backoff ({@link #connectionLost}), and one that cannot work without an operator (a bad
 *       token) is reported once and left alone ({@link #connectionRefused}) — the other adapters and the web chat
 *       keep running either way;</li>
 *   <li>normalises each platform event into an {@link InboundMessage} and {@link #submit}s it: it is stored and
 *       deduplicated (platform, platform message id) before anything else happens, and only then may the adapter
 *       confirm the event to its platform;</li>
 *   <li>delivers outbox rows ({@link Addresses#outbound(String)}) as a {@link #plan} of steps — the parts of a split
 *       message, a poll, a file — run in order; the reply is a {@link DeliveryReceipt}, or a {@link DeliveryFailure}
 *       that says whether to retry, how long the platform asked to wait, and which steps went out already, so a
 *       retry never sends a part twice;</li>
 *   <li>shows "typing…" while a turn runs ({@link TypingSignal}s), refreshed every
 *       {@link Capabilities#typingIntervalMillis()}.</li>
 * </ul>
 * In a cluster one node leads each adapter ({@link Leadership}): only it connects and takes deliveries.
 * Its state and counters go to {@code GET /api/adapters} and Prometheus. Adapters import {@code bus/},
 * {@code config/} and this package only.
 */
public abstract class AdapterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AdapterVerticle.class);
  private static final DeliveryOptions INBOUND = new DeliveryOptions().setSendTimeout(15_000);

  private final MeterRegistry registry;
  private AdapterStatusBoard board;
  private TypingRefresher typing;
  private Backoff backoff;
  private long reconnectTimer = -1;
  private Leadership leadership;
  private MessageConsumer<JsonObject> outbound;
  private MessageConsumer<JsonObject> typingSignals;
  private boolean stopping;
  private boolean everConnected;

  protected AdapterVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The platform name used in conversation ids and bus addresses: {@code telegram}, {@code discord}. */
  public abstract String platform();

  public abstract Capabilities capabilities();

  /**
   * Connects (login, first poll, gateway handshake). Runs on the adapter's context; blocking SDK calls go through
   * {@code executeBlocking}. A failed future is a connection failure: {@link ConnectionRefused} for one an operator
   * must fix, anything else is retried.
   */
  protected abstract Future<Void> connect();

  /** Closes the platform connection (at stop, or before a reconnect). */
  protected abstract Future<Void> disconnect();

  /**
   * The steps that deliver one outbound message, in order. Must give the same steps for the same message, so that a
   * retry can skip the ones {@link OutboundMessage#deliveredParts()} says went out already (the plan may read those
   * ids, e.g. the thread a first step opened).
   */
  protected abstract List<Step> plan(OutboundMessage message);

  /** Shows typing once in a conversation; must not block (errors are logged, never retried). */
  protected abstract void sendTyping(String conversationId);

  /**
   * The turn in a conversation ended: an adapter whose typing indicator stays until taken away (Slack's reaction)
   * takes it away here. Must not block.
   */
  protected void typingStopped(String conversationId) {}

  /** One platform call of a delivery; its future gives the platform's id of what it sent (or reacted on). */
  @FunctionalInterface
  public interface Step {
    Future<String> run();
  }

  /** A connection failure that retrying cannot fix: a bad token, a refused login. */
  public static final class ConnectionRefused extends RuntimeException {
    public ConnectionRefused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Whether the operator configured this platform (its token is set). A disabled adapter is deployed but idle: it
   * shows as {@code disabled} in {@code GET /api/adapters}, with {@link #disabledHint()}.
   */
  protected boolean enabled() {
    return true;
  }

  /** What enables this adapter, for the status of a disabled one. */
  protected String disabledHint() {
    return null;
  }

  /** The adapter's name in status and logs; one per platform today. */
  public String name() {
    return platform();
  }

  @Override
  public final Future<?> start() {
    board = new AdapterStatusBoard(vertx, name(), platform(), registry);
    typing = new TypingRefresher(vertx, capabilities().typingIntervalMillis(), conversation -> {
      if (AdapterStatus.CONNECTED.equals(board.state())) {
        sendTyping(conversation);
      }
    });
    backoff = new Backoff(1000, 60_000);
    if (!enabled()) {
      board.state(AdapterStatus.DISABLED, disabledHint());
      return Future.succeededFuture();
    }
    // One connection per platform in a cluster (Telegram allows one poller, a Discord shard one session): the node
    // that leads the adapter connects and takes its deliveries; the others stand by and take over if it leaves.
    // Deployment never waits for the platform: a platform that is down must not keep the server from starting.
    leadership = new Leadership(vertx, "adapter", List.of(name()), key -> lead(), key -> { });
    leadership.start();
    return Future.succeededFuture();
  }

  private void lead() {
    var bus = vertx.eventBus();
    outbound = bus.consumer(Addresses.outbound(platform()), this::deliver);
    typingSignals = bus.consumer(Addresses.typing(platform()), m -> {
      TypingSignal signal = TypingSignal.fromJson(m.body());
      if (signal.on()) {
        typing.on(signal.conversationId());
      } else {
        typing.off(signal.conversationId());
        typingStopped(signal.conversationId());
      }
    });
    board.state(AdapterStatus.STARTING, null);
    Future.all(outbound.completion(), typingSignals.completion()).onSuccess(v -> tryConnect())
        .onFailure(err -> log.error("[{}] Could not listen for deliveries: {}", name(), err.getMessage()));
  }

  private void tryConnect() {
    reconnectTimer = -1;
    if (stopping) {
      return;
    }
    Future<Void> attempt;
    try {
      attempt = connect();
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    attempt.onSuccess(v -> connected()).onFailure(err -> {
      if (err instanceof ConnectionRefused refused) {
        connectionRefused(refused.getMessage());
      } else {
        connectionLost(describe(err));
      }
    });
  }

  /** The platform connection is up (called by {@link #connect()}'s success, or by an SDK that reconnected itself). */
  protected final void connected() {
    context.runOnContext(v -> {
      if (!AdapterStatus.CONNECTED.equals(board.state())) {
        if (everConnected) {
          board.reconnected();
          log.info("[{}] Reconnected", name());
        } else {
          log.info("[{}] Connected", name());
        }
        everConnected = true;
        backoff.reset();
        board.state(AdapterStatus.CONNECTED, null);
      }
    });
  }

  /**
   * The connection dropped or could not be made: tries {@link #connect()} again after a backoff. An SDK that
   * reconnects on its own (JDA) reports with {@link #reconnecting} instead.
   */
  protected final void connectionLost(String why) {
    context.runOnContext(v -> {
      if (stopping || reconnectTimer >= 0) {
        return;
      }
      long wait = backoff.next();
      log.warn("[{}] Not connected ({}); trying again in {} ms", name(), why, wait);
      board.state(AdapterStatus.RECONNECTING, why);
      disconnect().onComplete(ar -> reconnectTimer = vertx.setTimer(wait, id -> tryConnect()));
    });
  }

  /** The SDK lost the connection and is reconnecting by itself. */
  protected final void reconnecting(String why) {
    context.runOnContext(v -> {
      if (!stopping && AdapterStatus.CONNECTED.equals(board.state())) {
        log.warn("[{}] Connection lost ({}); reconnecting", name(), why);
        board.state(AdapterStatus.RECONNECTING, why);
      }
    });
  }

  /** The platform refused us for a reason only an operator can fix: one clear line, no retries. */
  protected final void connectionRefused(String what) {
    context.runOnContext(v -> {
      log.error("[{}] Cannot connect: {}. The {} adapter stays off until this is fixed and Spacebot restarts; the "
          + "other adapters and the web chat keep running.", name(), what, platform());
      board.state(AdapterStatus.FAILED, what);
      disconnect();
    });
  }

  /**
   * Stores a platform message (deduplicated) and hands it to its channel; completes once it is durable, so the
   * adapter may confirm it to the platform then. A duplicate completes with {@code duplicate=true}.
   */
  protected final Future<Accepted> submit(InboundMessage message) {
    return submit(message, System.nanoTime());
  }

  /** @param receivedNanos when the platform event reached the adapter ({@link System#nanoTime()}), for the metrics */
  protected final Future<Accepted> submit(InboundMessage message, long receivedNanos) {
    return vertx.eventBus().<JsonObject>request(Addresses.INBOUND, message.toJson(), INBOUND)
        .map(reply -> Accepted.fromJson(reply.body()))
        .onSuccess(a -> {
          if (!a.duplicate()) {
            board.received();
            board.inboundTook(System.nanoTime() - receivedNanos);
          }
        })
        .onFailure(err -> log.warn("[{}] Could not store inbound message {} of {}: {}", name(),
            message.platformMessageId(), message.conversationId(), err.getMessage()));
  }

  /** A person edited or deleted one of their messages: the transcript is updated, no turn runs. */
  protected final Future<Void> submitEdit(MessageEdit edit) {
    return vertx.eventBus().request(Addresses.INBOUND_EDIT, edit.toJson(), INBOUND).mapEmpty();
  }

  /** Reads what this adapter keeps across restarts (null when unset). */
  protected final Future<String> loadState(String key) {
    return vertx.eventBus().<JsonObject>request(Addresses.ADAPTER_STATE_GET,
        new JsonObject().put("adapter", name()).put("key", key)).map(m -> m.body().getString("value"));
  }

  protected final Future<Void> saveState(String key, String value) {
    return vertx.eventBus().request(Addresses.ADAPTER_STATE_PUT,
        new JsonObject().put("adapter", name()).put("key", key).put("value", value)).mapEmpty();
  }

  private void deliver(Message<JsonObject> msg) {
    long started = System.nanoTime();
    OutboundMessage out;
    List<Step> steps;
    try {
      out = OutboundMessage.fromJson(msg.body());
      steps = plan(out);
    } catch (DeliveryException e) {
      board.deliveryFailed("permanent", e.getMessage());
      e.failure().replyTo(msg);
      return;
    } catch (RuntimeException e) {
      log.warn("[{}] Cannot deliver: {}", name(), describe(e));
      board.deliveryFailed("permanent", describe(e));
      DeliveryFailure.permanent("cannot deliver this message: " + describe(e)).replyTo(msg);
      return;
    }
    if (!AdapterStatus.CONNECTED.equals(board.state())) {
      DeliveryFailure.transientFailure(name() + " is not connected (" + board.state() + ")").replyTo(msg);
      return;
    }
    int done = Math.min(out.deliveredParts().size(), steps.size());
    List<String> ids = new ArrayList<>(out.deliveredParts().subList(0, done));
    Promise<Void> finished = Promise.promise();
    runSteps(steps, done, ids, finished);
    finished.future().onSuccess(v -> {
      board.delivered(steps.size() - done);
      board.deliveryTook(System.nanoTime() - started);
      if (out.kind().equals(OutboundMessage.MESSAGE)) {
        typing.delivered(out.conversationId());
      }
      msg.reply(new DeliveryReceipt(ids).toJson());
    }).onFailure(err -> {
      DeliveryFailure failure = err instanceof DeliveryException de ? de.failure()
          : DeliveryFailure.transientFailure(describe(err));
      board.deliveryFailed(kind(failure), failure.error());
      // Every step that went out, this attempt's and earlier ones': the next attempt starts after them.
      failure.withDeliveredParts(List.copyOf(ids)).replyTo(msg);
    });
  }

  private void runSteps(List<Step> steps, int index, List<String> ids, Promise<Void> finished) {
    if (index >= steps.size()) {
      finished.complete();
      return;
    }
    Future<String> step;
    try {
      step = steps.get(index).run();
    } catch (RuntimeException e) {
      step = Future.failedFuture(e);
    }
    step.onSuccess(id -> {
      ids.add(id == null ? "" : id);
      runSteps(steps, index + 1, ids, finished);
    }).onFailure(finished::fail);
  }

  private static String kind(DeliveryFailure f) {
    return switch (f.code()) {
      case DeliveryFailure.PERMANENT -> "permanent";
      case DeliveryFailure.RATE_LIMITED -> "rate_limited";
      default -> "transient";
    };
  }

  /** The status as {@code GET /api/adapters} shows it. */
  public AdapterStatus status() {
    return board.snapshot();
  }

  protected static String describe(Throwable err) {
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip().lines()
        .findFirst().orElse(""));
  }

  @Override
  public final Future<?> stop() {
    stopping = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (leadership != null) {
      leadership.stop();
    }
    typing.stopAll();
    if (outbound == null) {
      return Future.succeededFuture();
    }
    board.state(AdapterStatus.STOPPED, null);
    return Future.all(outbound.unregister(), typingSignals.unregister())
        .compose(v -> disconnect()).recover(err -> Future.succeededFuture());
  }
}
