package ai.spacebot.messaging;

import ai.spacebot.bus.AdapterStatus;
import ai.spacebot.bus.Addresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One adapter's state and counters: written to the shared adapters map (what {@code GET /api/adapters} reads,
 * cluster-wide) and to Prometheus ({@code spacebot_adapter_*}). Thread-safe: platform SDKs report from their
 * own threads.
 */
final class AdapterStatusBoard {
  private static final Logger log = LoggerFactory.getLogger(AdapterStatusBoard.class);
  private static final String NODE = ManagementFactory.getRuntimeMXBean().getName();

  private final Vertx vertx;
  /** A platform's error can quote a request URL with the bot token in it (Telegram's are /bot<token>/...). */
  private final ai.spacebot.secrets.SecretScrubber scrubber;
  private final String name;
  private final String platform;
  private volatile String state = AdapterStatus.STARTING;
  private volatile String lastError;
  private volatile long lastErrorAt;
  private volatile long since = System.currentTimeMillis();
  private final AtomicInteger reconnects = new AtomicInteger();
  private final AtomicLong in = new AtomicLong();
  private final AtomicLong out = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Counter inCounter;
  private final Counter outCounter;
  private final Counter reconnectCounter;
  private final MeterRegistry registry;
  private final AtomicInteger connected = new AtomicInteger();
  private final Timer inboundTimer;
  private final Timer deliveryTimer;
  private volatile boolean writeScheduled;

  AdapterStatusBoard(Vertx vertx, String name, String platform, MeterRegistry registry) {
    this.vertx = vertx;
    this.scrubber = ai.spacebot.secrets.SecretScrubber.of(vertx);
    this.name = name;
    this.platform = platform;
    this.registry = registry;
    this.inCounter = registry == null ? null : Counter.builder("spacebot_adapter_messages").tag("adapter", name)
        .tag("direction", "in").description("Messages an adapter received from or delivered to its platform")
        .register(registry);
    this.outCounter = registry == null ? null : Counter.builder("spacebot_adapter_messages").tag("adapter", name)
        .tag("direction", "out").register(registry);
    this.reconnectCounter = registry == null ? null : Counter.builder("spacebot_adapter_reconnects").tag("adapter", name)
        .description("Times an adapter lost its platform connection and connected again").register(registry);
    this.inboundTimer = registry == null ? null : Timer.builder("spacebot_adapter_inbound").tag("adapter", name)
        .description("From a platform event reaching the adapter to the message being stored").publishPercentiles(0.5, 0.99)
        .register(registry);
    this.deliveryTimer = registry == null ? null : Timer.builder("spacebot_adapter_delivery").tag("adapter", name)
        .description("From a delivery request to the platform's last acknowledgement").publishPercentiles(0.5, 0.99)
        .register(registry);
    if (registry != null) {
      Gauge.builder("spacebot_adapter_connected", connected, AtomicInteger::get).tag("adapter", name)
          .description("1 while the adapter is connected to its platform").register(registry);
    }
  }

  String state() {
    return state;
  }

  void state(String newState, String error) {
    boolean changed = !newState.equals(state);
    if (changed) {
      since = System.currentTimeMillis();
    }
    state = newState;
    connected.set(AdapterStatus.CONNECTED.equals(newState) ? 1 : 0);
    if (error != null) {
      lastError = scrubber.redactAll(error);
      lastErrorAt = System.currentTimeMillis();
    }
    write(changed);
  }

  void reconnected() {
    reconnects.incrementAndGet();
    if (reconnectCounter != null) {
      reconnectCounter.increment();
    }
    write(true);
  }

  void received() {
    in.incrementAndGet();
    if (inCounter != null) {
      inCounter.increment();
    }
    write(false);
  }

  void delivered(int parts) {
    out.addAndGet(parts);
    if (outCounter != null) {
      outCounter.increment(parts);
    }
    write(false);
  }

  void inboundTook(long nanos) {
    if (inboundTimer != null) {
      inboundTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  void deliveryTook(long nanos) {
    if (deliveryTimer != null) {
      deliveryTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  void deliveryFailed(String kind, String error) {
    failures.incrementAndGet();
    if (registry != null) {
      registry.counter("spacebot_adapter_delivery_failures", "adapter", name, "kind", kind).increment();
    }
    lastError = scrubber.redactAll(error);
    lastErrorAt = System.currentTimeMillis();
    write(false);
  }

  AdapterStatus snapshot() {
    return new AdapterStatus(name, platform, state, lastError, lastErrorAt, reconnects.get(), in.get(), out.get(),
        failures.get(), since, NODE);
  }

  /** State changes are written at once; counters at most every 500 ms, so a busy adapter writes little. */
  private void write(boolean now) {
    if (now) {
      put();
      return;
    }
    if (!writeScheduled) {
      writeScheduled = true;
      vertx.setTimer(500, id -> {
        writeScheduled = false;
        put();
      });
    }
  }

  private void put() {
    JsonObject status = snapshot().toJson();
    vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.ADAPTERS_MAP)
        .compose(map -> map.put(name, status))
        .onFailure(err -> log.debug("[{}] Could not publish the adapter status: {}", name, err.getMessage()));
  }
}
