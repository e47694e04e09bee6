package ai.spacebot.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.shareddata.LocalMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster singletons: which keys (agents for the cortex, the one ledger for usage) this verticle instance
 * leads, so that exactly one instance across the cluster does each one's work.
 *
 * <p>Leading key {@code k} of service {@code s} means holding the Vert.x shared-data lock {@code spacebot.s.k}
 * for as long as the instance runs (the cortex's locks are {@code spacebot.cortex.<agent>}). Instances that do
 * not hold it try again every {@link #RETRY_MS} with a short timeout.
 * With the Hazelcast cluster manager (vertx-hazelcast 5.0.x) that lock is {@code IMap.tryLock} on the map
 * {@code __vertx.map.lock}; Hazelcast frees the map locks of a member that leaves the cluster, so another
 * node takes over. {@code CortexClusterIT} checks both ways out: a node that closes (the cortex releases
 * the lock when it is undeployed; the other node leads within one retry, about 2 s) and a Hazelcast member
 * terminated without releasing anything (its closed connections get it removed; the other node led within
 * about 1 s).
 *
 * <p>Hazelcast map locks are re-entrant for the same member and thread, and Vert.x acquires them on any
 * worker thread, so a second cortex instance on the same node could "acquire" a lock its sibling holds. A
 * node-local claim ({@link LocalMap#putIfAbsent}) in front of the cluster lock keeps it to one per node.
 * Without clustering the local claim alone decides, so the local cortex leads.
 *
 * <p>Limits: a member that hangs with its connections open is removed only after Hazelcast's heartbeat
 * timeout ({@code hazelcast.max.no.heartbeat.seconds}, 60 s by default), and the lead moves then. A holder
 * is never told it lost its lock, so a node cut off from the others (split brain) keeps leading on its side
 * while the rest of the cluster elects another leader.
 */
public final class Leadership {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  /** How often an instance that does not lead a key tries its lock again. */
  public static final long RETRY_MS = 2_000;
  /** How long one attempt waits for a held lock (on a worker thread). */
  static final long ACQUIRE_TIMEOUT_MS = 200;

  private final String service;
  private final String lockPrefix;
  private final Vertx vertx;
  private final List<String> keys;
  private final Consumer<String> gained;
  private final Consumer<String> lost;
  private final String owner = UUID.randomUUID().toString();
  private final LocalMap<String, String> claims;
  /** Key to the lock held for it; a lead without clustering maps to {@link #LOCAL}. */
  private final Map<String, Lock> held = new ConcurrentHashMap<>();
  private final Set<String> pending = new HashSet<>();
  private long retryTimer = -1;
  private boolean stopped;

  private static final Lock LOCAL = () -> {};

  /**
   * @param service names the locks ({@code spacebot.<service>.<key>}) and the node-local claims
   * @param keys what is led, one lock each
   * @param gained told on the instance's context when it starts leading a key
   * @param lost told when it stops leading one (on {@link #stop()})
   */
  public Leadership(Vertx vertx, String service, List<String> keys, Consumer<String> gained, Consumer<String> lost) {
    this.service = service;
    this.lockPrefix = "spacebot." + service + ".";
    this.vertx = vertx;
    this.keys = List.copyOf(keys);
    this.gained = gained;
    this.lost = lost;
    this.claims = vertx.sharedData().getLocalMap("spacebot." + service + ".claims");
  }

  /** Tries every key now and keeps retrying the ones led elsewhere. Call on the instance's context. */
  public void start() {
    attemptAll();
    retryTimer = vertx.setPeriodic(RETRY_MS, t -> attemptAll());
  }

  /** Safe from any thread. */
  public boolean leads(String key) {
    return held.containsKey(key);
  }

  public Set<String> led() {
    return Set.copyOf(held.keySet());
  }

  private void attemptAll() {
    if (stopped || held.size() == keys.size()) {
      return;
    }
    for (String key : keys) {
      if (!held.containsKey(key) && !pending.contains(key)) {
        attempt(key);
      }
    }
  }

  private void attempt(String key) {
    String claimant = claims.putIfAbsent(key, owner);
    if (claimant != null && !claimant.equals(owner)) {
      return; // another instance on this node has it (or is trying)
    }
    if (!vertx.isClustered()) {
      take(key, LOCAL);
      return;
    }
    pending.add(key);
    vertx.sharedData().getLockWithTimeout(lockPrefix + key, ACQUIRE_TIMEOUT_MS).onComplete(ar -> {
      pending.remove(key);
      if (ar.succeeded() && !stopped) {
        take(key, ar.result());
      } else {
        if (ar.succeeded()) {
          ar.result().release(); // stopped while it was being acquired
        }
        claims.remove(key, owner);
      }
    });
  }

  private void take(String key, Lock lock) {
    held.put(key, lock);
    log.info("This {} instance leads {} ({})", service, key,
        lock == LOCAL ? "not clustered" : "holds cluster lock " + lockPrefix + key);
    gained.accept(key);
  }

  /** Releases every key this instance leads. */
  public void stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    for (String key : Set.copyOf(held.keySet())) {
      Lock lock = held.remove(key);
      lock.release();
      claims.remove(key, owner);
      log.info("This {} instance no longer leads {} (stopped)", service, key);
      lost.accept(key);
    }
  }
}
