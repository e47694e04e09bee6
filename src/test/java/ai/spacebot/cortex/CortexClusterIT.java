package ai.spacebot.cortex;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.Leadership;
import ai.spacebot.config.CortexSettings;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cortex leads each agent across a Hazelcast cluster, and another takes over when its node goes: two
 * clustered nodes on loopback in this JVM, each with its own Hazelcast member and a cortex.
 */
class CortexClusterIT {
  private static final Logger log = LoggerFactory.getLogger(CortexClusterIT.class);
  private static final Duration TAKEOVER = Duration.ofSeconds(30);
  /** Maintenance every second, so the leader's work is visible on the bus. */
  private static final CortexSettings FAST = new CortexSettings(1, 900, 1, 1, 3, 1800);
  /**
   * Hazelcast's failure detector: heartbeat every 1 s, a member silent for 5 s is gone (default 60 s). A
   * terminated member is noticed sooner, by its closed connections (about 1.7 s here without these settings);
   * this bounds the case where the connections stay open.
   */
  private static final String[][] HEARTBEAT = {
      {"hazelcast.heartbeat.interval.seconds", "1"}, {"hazelcast.max.no.heartbeat.seconds", "5"}};
  private static ScriptedModelServer model;
  private final List<TestApp> nodes = new ArrayList<>();

  private record Node(TestApp app, CortexVerticle cortex) {
    Vertx vertx() {
      return app.running().vertx();
    }
  }

  @BeforeAll
  static void setUp() {
    model = ScriptedModelServer.start();
    for (String[] p : HEARTBEAT) {
      System.setProperty(p[0], p[1]); // read by Hazelcast when a member starts
    }
  }

  @AfterAll
  static void tearDown() {
    for (String[] p : HEARTBEAT) {
      System.clearProperty(p[0]);
    }
    model.close();
  }

  @AfterEach
  void closeNodes() {
    for (TestApp app : nodes) {
      try {
        app.running().vertx().close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.info("closing a node after the test: {}", e.toString());
      }
    }
  }

  @Test
  void exactlyOneNodeLeadsAndAnotherTakesOverWhenTheLeaderCloses() throws Exception {
    String yaml = clusterYaml();
    TestApp appA = startApp(yaml);
    TestApp appB = startApp(yaml);
    // A stand-in memory service on both nodes, there before any cortex runs.
    List<Long> maintainRequests = new CopyOnWriteArrayList<>();
    recordMaintainRequests(appA, maintainRequests);
    recordMaintainRequests(appB, maintainRequests);
    Node a = deployCortex(appA);
    // A worker that starts while only node A has a cortex: B learns of it from A's table when it starts.
    appA.running().vertx().eventBus().publish(Addresses.EVENTS,
        new AgentEvent.WorkerStarted("main", "portal:chat:main:early", "w-early", "started before B", false).toJson());
    Await.until(() -> processIds(appA).contains("w-early"), Duration.ofSeconds(10), "node A's table lists the worker");
    Node b = deployCortex(appB);
    // A second cortex instance on node B (as if an operator set "instances": 2): still one leader per agent.
    Node b2 = deployCortex(appB);
    Node leader = awaitSingleLeader(a, b, b2);
    assertThat(leader).isSameAs(a); // A's cortex started first and holds the lock
    assertLeadershipStable(a, b, b2);

    // The leader does the agent's work: it asks for maintenance every second.
    Await.until(() -> maintainRequests.size() >= 4, Duration.ofSeconds(15), "the leader asks for maintenance");

    long closing = System.nanoTime();
    appA.close();
    nodes.remove(appA);
    Await.until(() -> b.cortex().leads("main") || b2.cortex().leads("main"), TAKEOVER, "node B takes over");
    long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
    log.info("Takeover after a graceful close: {} ms", takeoverMs);
    assertThat(a.cortex().leads("main")).isFalse();
    Node newLeader = b.cortex().leads("main") ? b : b2;
    assertLeadershipStable(newLeader, newLeader == b ? b2 : b);

    // Only node B's cortexes answer now, and they know the worker that started before they did.
    assertThat(processIds(appB)).containsExactly("w-early");
    assertThat(processIds(appB)).containsExactly("w-early"); // both instances (requests are round-robin)

    // And it works: maintenance requests keep coming, now from the new leader.
    long tookOver = System.nanoTime();
    Await.until(() -> maintainRequests.stream().anyMatch(t -> t > tookOver), Duration.ofSeconds(15),
        "the new leader asks for maintenance");
  }

  @Test
  void aMemberThatDiesWithoutReleasingAnythingLosesTheLeadToTheOtherNode() throws Exception {
    String yaml = clusterYaml();
    Node a = deployCortex(startApp(yaml));
    Node b = deployCortex(startApp(yaml));
    Node leader = awaitSingleLeader(a, b);
    Node follower = leader == a ? b : a;

    // Kill the leader's Hazelcast member: no undeploy, no lock release, no goodbye (as when its JVM dies).
    HazelcastClusterManager cm = (HazelcastClusterManager) ((VertxInternal) leader.vertx()).clusterManager();
    long killed = System.nanoTime();
    cm.getHazelcastInstance().getLifecycleService().terminate();
    Await.until(() -> follower.cortex().leads("main"), TAKEOVER, "the surviving node takes over");
    log.info("Takeover after the leader's member was terminated: {} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
  }

  // ---- helpers ----

  private static String clusterYaml() {
    // A unique cluster name keeps this test apart from any other cluster on the machine.
    return "cluster:\n  name: spacebot-cortex-it-" + UUID.randomUUID() + "\n";
  }

  /** A clustered node running none of the bundled processes. */
  private TestApp startApp(String yaml) throws Exception {
    TestApp app = CortexTestApps.start(TestApp.envFor(model), FAST, yaml, true, Set.of());
    nodes.add(app);
    return app;
  }

  /** The test deploys the cortex itself, to hold on to the instance. */
  private static Node deployCortex(TestApp app) throws Exception {
    CortexVerticle cortex = new CortexVerticle(app.running().config());
    app.running().vertx().deployVerticle(cortex).await(30, TimeUnit.SECONDS);
    return new Node(app, cortex);
  }

  private static Node awaitSingleLeader(Node... cortexes) {
    Await.until(() -> Arrays.stream(cortexes).anyMatch(n -> n.cortex().leads("main")), Duration.ofSeconds(20), "a leader");
    List<Node> leaders = Arrays.stream(cortexes).filter(n -> n.cortex().leads("main")).toList();
    assertThat(leaders).as("cortexes leading agent main").hasSize(1);
    return leaders.get(0);
  }

  /** For a few retry rounds of the others: the same single leader all along. */
  private static void assertLeadershipStable(Node leader, Node... others) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Leadership.RETRY_MS * 3);
    while (System.nanoTime() < until) {
      assertThat(leader.cortex().leads("main")).isTrue();
      for (Node other : others) {
        assertThat(other.cortex().leads("main")).isFalse();
      }
      Thread.sleep(100);
    }
  }

  private static List<String> processIds(TestApp app) {
    JsonObject reply = app.running().vertx().eventBus().<JsonObject>request(Addresses.CORTEX_PROCESSES, new JsonObject())
        .await().body();
    return reply.getJsonArray("processes").stream().map(p -> ((JsonObject) p).getString("process_id")).toList();
  }

  /** A stand-in memory service on the node: records when each maintenance request arrives. */
  private static void recordMaintainRequests(TestApp app, List<Long> received) {
    app.running().vertx().eventBus().<JsonObject>consumer(Addresses.MEMORY_MAINTAIN, m -> {
      received.add(System.nanoTime());
      m.reply(new JsonObject());
    }).completion().await();
  }

}
