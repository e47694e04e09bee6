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

  private static void assertBad(Http.Response r, String named) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains(named);
  }
}
