package ai.spacebot.memory;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.PostgresTestDatabase;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The memory HTTP API over the real app configured with store.kind postgres, as an operator would. */
class PostgresMemoryApiIT {
  private static Vertx vertx;
  private static PostgresTestDatabase database;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    database = PostgresTestDatabase.create(vertx);
    app = TestApp.start(Map.of("SPACEBOT_STORE", "postgres", "SPACEBOT_PG_URL", database.url()));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    database.close();
    vertx.close().await();
  }

  @Test
  void memoriesAreSavedToPostgresAndFoundOverHttp() {
    Http.Response saved = app.http.postJson("/api/agents/memories", new JsonObject().put("agent_id", "main")
        .put("memory_type", "decision").put("content", "We chose Grafana for dashboards after the March outage.")
        .put("source_message_ids", new JsonArray().add("m-7")));
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    String id = saved.json().getJsonObject("memory").getString("id");
    app.http.postJson("/api/agents/memories", new JsonObject().put("agent_id", "main")
        .put("content", "The cafeteria serves soup on Wednesdays."));

    Http.Response search = app.http.get("/api/agents/memories/search?agent_id=main&query=Grafana%20dashboards&limit=5");
    assertThat(search.status()).as(search.body()).isEqualTo(200);
    JsonArray results = search.json().getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(results.getJsonObject(0).getDouble("score")).isPositive();

    // The row is in Postgres (with its access counted by the search), and no embedded index was made.
    Pool pool = database.pool();
    try {
      var row = pool.preparedQuery("SELECT content, access_count, source_message_ids FROM memories WHERE id = $1")
          .execute(Tuple.of(id)).await().iterator().next();
      assertThat(row.getString("content")).startsWith("We chose Grafana");
      assertThat(row.getInteger("access_count")).isEqualTo(1);
      assertThat(row.getArrayOfStrings("source_message_ids")).containsExactly("m-7");
    } finally {
      pool.close().await();
    }
    assertThat(app.dataDir.resolve("lucene")).doesNotExist();
  }

  @Test
  void aMissingAssociationTargetIsABadRequest() {
    Http.Response r = app.http.postJson("/api/agents/memories", new JsonObject().put("agent_id", "main").put("content", "x")
        .put("associations", new JsonArray().add(new JsonObject().put("target_id", "missing-id").put("relation_type", "updates"))));
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains("missing-id").contains("does not exist");
  }
}
