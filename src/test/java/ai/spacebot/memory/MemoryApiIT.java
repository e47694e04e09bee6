package ai.spacebot.memory;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The memory HTTP API over the real app (memory service on the bus, embedded store). */
class MemoryApiIT {
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(Map.of());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static Http.Response save(JsonObject body) {
    return app.http.postJson("/api/agents/memories", body);
  }

  @Test
  void saveSearchListGraphForget() throws Exception {
    Http.Response saved = save(new JsonObject().put("agent_id", "main").put("memory_type", "decision")
        .put("content", "We chose Grafana for dashboards after the March outage.").put("source_message_ids", new JsonArray().add("m-7")));
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    JsonObject decision = saved.json().getJsonObject("memory");
    assertThat(decision.getDouble("importance")).isEqualTo(0.8);
    assertThat(decision.getJsonArray("source_message_ids")).containsExactly("m-7");

    JsonObject linked = save(new JsonObject().put("agent_id", "main").put("content", "The March outage was caused by a full disk.")
        .put("associations", new JsonArray().add(new JsonObject().put("target_id", decision.getString("id"))
            .put("relation_type", "caused_by").put("weight", 0.7)))).json().getJsonObject("memory");
    assertThat(linked.getString("memory_type")).isEqualTo("fact");

    JsonArray results = app.http.get("/api/agents/memories/search?agent_id=main&query=Grafana%20dashboards&limit=5").json()
        .getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("id")).isEqualTo(decision.getString("id"));
    assertThat(results.getJsonObject(0).getDouble("score")).isPositive();

    JsonArray listed = app.http.get("/api/agents/memories?agent_id=main&memory_type=decision").json().getJsonArray("memories");
    assertThat(listed).anyMatch(m -> ((JsonObject) m).getString("id").equals(decision.getString("id")));

    JsonObject graph = app.http.get("/api/agents/memories/graph?agent_id=main&id=" + decision.getString("id") + "&depth=1").json();
    assertThat(graph.getJsonArray("nodes")).hasSize(2);
    assertThat(graph.getJsonArray("edges").getJsonObject(0).getString("relation_type")).isEqualTo("caused_by");

    HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(app.url("/api/agents/memories/" + decision.getString("id")))).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(200);
    HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(app.url("/api/agents/memories/" + decision.getString("id")))).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(again.body()).getString("error")).contains("does not exist");
    JsonArray after = app.http.get("/api/agents/memories/search?agent_id=main&query=Grafana%20dashboards").json().getJsonArray("results");
    assertThat(after).noneMatch(m -> ((JsonObject) m).getString("id").equals(decision.getString("id")));
  }

  @Test
  void badInputIsRefusedByName() {
    assertBad(save(new JsonObject().put("agent_id", "main")), "content");
    assertBad(save(new JsonObject().put("agent_id", "nobody").put("content", "x")), "agent_id");
    assertBad(save(new JsonObject().put("agent_id", "main").put("content", "x").put("importance", 2)), "importance");
    assertBad(save(new JsonObject().put("agent_id", "main").put("content", "x").put("memory_type", "gossip")), "memory_type");
    assertBad(save(new JsonObject().put("agent_id", "main").put("content", "x").put("associations",
        new JsonArray().add(new JsonObject().put("target_id", "missing-id").put("relation_type", "updates")))), "missing-id");
    assertBad(save(new JsonObject().put("agent_id", "main").put("content", "x").put("associations",
        new JsonArray().add(new JsonObject().put("target_id", "a").put("relation_type", "loves")))), "relation_type");
    assertBad(app.http.get("/api/agents/memories/search?agent_id=main"), "query");
    assertBad(app.http.get("/api/agents/memories/search?agent_id=main&query=x&mode=psychic"), "mode");
    assertBad(app.http.get("/api/agents/memories/graph?agent_id=main"), "id");
  }

  @Test
  void importReindexAndMaintenance() {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 40; i++) {
      batch.add(new JsonObject().put("content", "Imported note " + i + ": the build server number " + i + " is in rack " + (i % 4) + ".")
          .put("memory_type", "fact").put("source_message_ids", new JsonArray().add("imp-" + i)));
    }
    batch.add(new JsonObject().put("content", "The build servers are cooled by the rack fans.").put("memory_type", "fact"));
    batch.add(new JsonObject().put("content", "the build servers are cooled by the rack fans.").put("memory_type", "fact"));
    Http.Response imported = app.http.postJson("/api/agents/memories/import", new JsonObject().put("agent_id", "main").put("memories", batch));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().getInteger("imported")).isEqualTo(42);
    assertThat(imported.json().getJsonArray("ids")).hasSize(42);
    JsonArray found = app.http.get("/api/agents/memories/search?agent_id=main&query=build%20server%20number%2017&limit=3").json()
        .getJsonArray("results");
    assertThat(found.getJsonObject(0).getString("content")).contains("number 17 ");

    Http.Response reindex = app.http.post("/api/agents/memories/reindex?agent_id=main", "");
    assertThat(reindex.status()).as(reindex.body()).isEqualTo(200);
    List<JsonObject> lines = reindex.body().lines().map(JsonObject::new).toList();
    JsonObject last = lines.get(lines.size() - 1);
    assertThat(last.getInteger("reindexed")).isGreaterThanOrEqualTo(42);
    assertThat(lines.get(lines.size() - 2).getInteger("done")).isEqualTo(last.getInteger("reindexed"));

    Http.Response maintained = app.http.postJson("/api/agents/memories/maintenance",
        new JsonObject().put("agent_id", "main").put("passes", new JsonArray().add("merge")));
    assertThat(maintained.status()).as(maintained.body()).isEqualTo(200);
    assertThat(maintained.json().getInteger("merged")).isGreaterThanOrEqualTo(1);
    assertThat(maintained.json().containsKey("associated")).isFalse();
  }

  @Test
  void badImportsAreRefusedByEntryAndSaveNothing() {
    JsonArray batch = new JsonArray().add(new JsonObject().put("content", "A fine memory about zebras.")).add(new JsonObject()
        .put("memory_type", "fact"));
    Http.Response r = app.http.postJson("/api/agents/memories/import", new JsonObject().put("agent_id", "main").put("memories", batch));
    assertBad(r, "memories[1].content");
    assertThat(r.json().getString("field")).isEqualTo("memories[1].content");
    assertThat(app.http.get("/api/agents/memories/search?agent_id=main&query=zebras&mode=fulltext").json().getJsonArray("results")).isEmpty();

    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(new JsonObject().put("content", "x" + i));
    }
    assertBad(app.http.postJson("/api/agents/memories/import", new JsonObject().put("agent_id", "main").put("memories", tooMany)), "at most 1000");
    assertBad(app.http.postJson("/api/agents/memories/import", new JsonObject().put("agent_id", "main")), "memories");
    assertBad(app.http.postJson("/api/agents/memories/import", new JsonObject().put("agent_id", "main").put("memories",
        new JsonArray().add(new JsonObject().put("content", "x").put("memory_type", "human")))), "memories[0].human_id");
    assertBad(app.http.post("/api/agents/memories/reindex?agent_id=nobody", ""), "agent_id");
    assertBad(app.http.postJson("/api/agents/memories/maintenance", new JsonObject().put("agent_id", "main")
        .put("passes", new JsonArray().add("defragment"))), "passes");
  }

  private static void assertBad(Http.Response r, String named) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains(named);
  }
}
