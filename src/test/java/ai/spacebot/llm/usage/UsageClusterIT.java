package ai.spacebot.llm.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.UsageRecord;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.store.Database;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One usage ledger across a Hazelcast cluster: two clustered nodes on loopback in this JVM, each with a
 * usage verticle and its own store. Spend recorded on either node counts against one daily budget, and
 * the other node takes the ledger over when the leader's node closes.
 */
class UsageClusterIT {
  private static final Logger log = LoggerFactory.getLogger(UsageClusterIT.class);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<TestApp> nodes = new ArrayList<>();

  private record Node(TestApp app, UsageVerticle usage) {
    Vertx vertx() {
      return app.running().vertx();
    }
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
  void spendOnEitherNodeCountsAgainstOneBudgetAndTheLedgerMovesWhenItsNodeCloses() throws Exception {
    String yaml = "cluster:\n  name: spacebot-usage-it-" + UUID.randomUUID() + "\nbudget:\n  daily_usd: 1.0\n";
    Node a = deployUsage(startNode(yaml));
    Node b = deployUsage(startNode(yaml));
    Await.until(() -> a.usage().leads() || b.usage().leads(), WAIT, "a ledger leader");
    assertThat(a.usage().leads() && b.usage().leads()).as("both nodes keep a ledger").isFalse();
    Node leader = a.usage().leads() ? a : b;
    Node follower = leader == a ? b : a;
    BudgetGate gateA = BudgetGate.of(a.vertx());
    BudgetGate gateB = BudgetGate.of(b.vertx());

    // Four calls of USD 0.30, two made on each node: 1.20 in all, over the cap. Two ledgers would each
    // have seen 0.60 and blocked nothing.
    for (int i = 0; i < 4; i++) {
      Node caller = i % 2 == 0 ? a : b;
      caller.vertx().eventBus().send(Addresses.USAGE_RECORD, record(0.30).toJson());
    }
    Await.until(() -> gateA.blocked("main", null) && gateB.blocked("main", null), WAIT, "both nodes' gates block the agent");

    JsonObject report = follower.vertx().eventBus()
        .<JsonObject>request(Addresses.USAGE_QUERY, new JsonObject().put("agent_id", "main")).await().body();
    assertThat(report.getDouble("total_cost_usd")).isCloseTo(1.20, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(report.getJsonArray("rows").getJsonObject(0).getLong("calls")).isEqualTo(4);

    // The leader's node closes: the other node takes the ledger over and answers.
    long closing = System.nanoTime();
    leader.app().close();
    nodes.remove(leader.app());
    Await.until(follower.usage()::leads, WAIT, "the other node takes the ledger over");
    log.info("Ledger takeover after a graceful close: {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing));
    Await.until(() -> {
      try {
        follower.vertx().eventBus().<JsonObject>request(Addresses.USAGE_QUERY, new JsonObject().put("agent_id", "main"))
            .await(5, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }, WAIT, "the new leader answers usage queries");
  }

  private static UsageRecord record(double costUsd) {
    return new UsageRecord(UUID.randomUUID().toString(), System.currentTimeMillis(), "main", "channel", "channel",
        "portal:chat:main:cluster", "openai/scripted", 100, 10, 0, 5, costUsd, null, 0, "success", null);
  }

  /** A clustered node running none of the bundled processes; the test deploys the usage verticle. */
  private TestApp startNode(String yaml) throws Exception {
    Path dir = Files.createTempDirectory("spacebot-usage-node");
    Files.writeString(dir.resolve("config.yaml"), yaml);
    Map<String, String> env = new HashMap<>(); // no model: nothing here calls one
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(TestApp.freePort()));
    SpacebotConfig config = new ConfigLoader(env).load(null).withCluster(true);
    TestApp app = TestApp.start(config, env, dir, Set.of());
    nodes.add(app);
    return app;
  }

  private static Node deployUsage(TestApp app) throws Exception {
    Vertx vertx = app.running().vertx();
    Database db = Database.open(vertx, Files.createTempDirectory("spacebot-usage-db").resolve("usage.db")).await();
    UsageVerticle usage = new UsageVerticle(app.running().config(), new UsageRepository(db));
    vertx.deployVerticle(usage).await(30, TimeUnit.SECONDS);
    return new Node(app, usage);
  }

}
