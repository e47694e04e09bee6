package ai.spacebot.cortex;

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
 * Which agents this cortex leads: one cortex per agent across the cluster.
 *
 * <p>Leading agent {@code a} means holding the Vert.x shared-data lock {@code spacebot.cortex.a} for as long
 * as the cortex runs. Cortexes that do not hold it try again every {@link #RETRY_MS} with a short timeout.
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
final class Leadership {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  static final String LOCK_PREFIX = "spacebot.cortex.";
  private static final String CLAIMS_MAP = "spacebot.cortex.claims";
  /** How often a cortex that does not lead an agent tries its lock again. */
  static final long RETRY_MS = 2_000;
  /** How long one attempt waits for a held lock (on a worker thread). */
  static final long ACQUIRE_TIMEOUT_MS = 200;

  private final Vertx vertx;
  private final List<String> agents;
  private final Consumer<String> gained;
  private final Consumer<String> lost;
  private final String owner = UUID.randomUUID().toString();
  private final LocalMap<String, String> claims;
  /** Agent to the lock held for it; a lead without clustering maps to {@link #LOCAL}. */
  private final Map<String, Lock> held = new ConcurrentHashMap<>();
  private final Set<String> pending = new HashSet<>();
  private long retryTimer = -1;
  private boolean stopped;

  private static final Lock LOCAL = () -> {};

  Leadership(Vertx vertx, List<String> agents, Consumer<String> gained, Consumer<String> lost) {
    this.vertx = vertx;
    this.agents = List.copyOf(agents);
    this.gained = gained;
    this.lost = lost;
    this.claims = vertx.sharedData().getLocalMap(CLAIMS_MAP);
  }

  /** Tries every agent now and keeps retrying the ones led elsewhere. Call on the cortex's context. */
  void start() {
    attemptAll();
    retryTimer = vertx.setPeriodic(RETRY_MS, t -> attemptAll());
  }

  /** Safe from any thread. */
  boolean leads(String agentId) {
    return held.containsKey(agentId);
  }

  Set<String> led() {
    return Set.copyOf(held.keySet());
  }

  private void attemptAll() {
    if (stopped || held.size() == agents.size()) {
      return;
    }
    for (String agent : agents) {
      if (!held.containsKey(agent) && !pending.contains(agent)) {
        attempt(agent);
      }
    }
  }

  private void attempt(String agent) {
    String claimant = claims.putIfAbsent(agent, owner);
    if (claimant != null && !claimant.equals(owner)) {
      return; // another cortex instance on this node has it (or is trying)
    }
    if (!vertx.isClustered()) {
      take(agent, LOCAL);
      return;
    }
    pending.add(agent);
    vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + agent, ACQUIRE_TIMEOUT_MS).onComplete(ar -> {
      pending.remove(agent);
      if (ar.succeeded() && !stopped) {
        take(agent, ar.result());
      } else {
        if (ar.succeeded()) {
          ar.result().release(); // stopped while it was being acquired
        }
        claims.remove(agent, owner);
      }
    });
  }

  private void take(String agent, Lock lock) {
    held.put(agent, lock);
    log.info("Cortex leads agent {} ({})", agent, lock == LOCAL ? "not clustered" : "holds cluster lock " + LOCK_PREFIX + agent);
    gained.accept(agent);
  }

  /** Releases every agent this cortex leads. */
  void stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    for (String agent : Set.copyOf(held.keySet())) {
      Lock lock = held.remove(agent);
      lock.release();
      claims.remove(agent, owner);
      log.info("Cortex no longer leads agent {} (stopped)", agent);
      lost.accept(agent);
    }
  }
}
