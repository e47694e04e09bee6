package ai.spacebot.api;

import static ai.spacebot.api.ApiCalls.UNAUTHORIZED;
import static ai.spacebot.api.ApiCalls.WAIT;
import static ai.spacebot.api.ApiCalls.assertForbidden;
import static ai.spacebot.api.ApiCalls.call;
import static ai.spacebot.api.ApiCalls.dataLines;
import static ai.spacebot.api.ApiCalls.enc;
import static ai.spacebot.api.ApiCalls.eventId;
import static ai.spacebot.api.ApiCalls.readKey;
import static ai.spacebot.api.ApiCalls.sendBody;
import static ai.spacebot.api.ApiCalls.session;
import static ai.spacebot.api.ApiCalls.withApi;
import static ai.spacebot.api.ApiCalls.withPort0;
import static ai.spacebot.testkit.RoleScript.Role.BRANCH;
import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.api.ApiCalls.Res;
import ai.spacebot.api.ApiCalls.Session;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RawSse;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may call what on the control API (issue 12 §6): the operator token opens every route, a web-chat session
 * token only its own conversation, nothing opens anything else. Real HTTP and SSE against the running app.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAuthIT {
  private static final String TOKEN = "operator-" + UUID.randomUUID();
  /** The routes anyone may call, as "METHOD path" (the static web-chat page is the prefix route "/"). */
  private static final Set<String> OPEN = Set.of("GET /api/health", "POST /api/portal/session");
  private static final Set<String> VISITOR = Set.of("POST /api/portal/send", "GET /api/portal/history", "GET /api/events");

  private ScriptedModelServer model;
  private TestApp app;

  @BeforeAll
  void start() throws IOException {
    model = ScriptedModelServer.start();
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_AUTH_TOKEN", TOKEN);
    app = TestApp.start(env);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    model.close();
  }

  // ---- every route ----

  @Test
  void everyRouteButTheOpenOnesIs401WithoutAToken() {
    List<String[]> probes = probes();
    assertThat(probes).as("the router's routes").hasSizeGreaterThan(20);
    for (String[] p : probes) {
      Res r = call(app, p[0], p[1], Map.of());
      if (OPEN.contains(p[0] + " " + p[2])) {
        assertThat(r.status()).as("%s %s is open", p[0], p[1]).isIn(200, 503);
      } else {
        assertThat(r.status()).as("%s %s without a token: %s", p[0], p[1], r.body()).isEqualTo(401);
        assertThat(r.json()).as("%s %s", p[0], p[1]).isEqualTo(UNAUTHORIZED);
        assertThat(call(app, p[0], p[1], Map.of("Authorization", "Bearer " + TOKEN + "x")).status())
            .as("%s %s with a wrong token", p[0], p[1]).isEqualTo(401);
      }
    }
  }

  @Test
  void aSessionTokenIsForbiddenEverywhereButItsOwnConversationsRoutes() {
    Session visitor = session(app, "main");
    for (String[] p : probes()) {
      String key = p[0] + " " + p[2];
      if (OPEN.contains(key) || VISITOR.contains(key)) {
        continue;
      }
      Res r = call(app, p[0], p[1], visitor.auth());
      assertThat(r.status()).as("%s %s with a session token: %s", p[0], p[1], r.body()).isEqualTo(403);
      assertThat(r.json().getString("error")).isEqualTo("forbidden");
      assertThat(r.json().getString("reason")).as("says why").contains("operator token");
    }
  }

  @Test
  void theOperatorTokenOpensTheRoutes() {
    Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
    assertThat(call(app, "GET", "/api/status", auth).status()).isEqualTo(200);
    assertThat(call(app, "GET", "/api/channels", auth).status()).isEqualTo(200);
    assertThat(call(app, "GET", "/api/agents/memories?agent_id=main", auth).status()).isEqualTo(200);
    assertThat(call(app, "GET", "/metrics", auth).status()).isEqualTo(200);
    // The page and its assets are open: a visitor must be able to load them.
    assertThat(call(app, "GET", "/", Map.of()).status()).isEqualTo(200);
    assertThat(call(app, "GET", "/app.js", Map.of()).body()).contains("/api/portal/session");
  }

  @Test
  void theEventStreamTakesTheTokenAsAQueryParameterAndOnlyIt() {
    try (SseClient events = SseClient.connect(app.url("/api/events?token=" + enc(TOKEN)), Map.of())) {
      assertThat(events.status()).isEqualTo(200);
    }
    assertThatThrownBy(() -> SseClient.connect(app.url("/api/events?token=" + enc(TOKEN + "x")), Map.of()))
        .isInstanceOfSatisfying(SseClient.UnexpectedStatusException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(new JsonObject(e.body())).isEqualTo(UNAUTHORIZED);
        });
    // Other routes do not read ?token= (it would end up in proxies' logs).
    assertThat(call(app, "GET", "/api/status?token=" + enc(TOKEN), Map.of()).status()).isEqualTo(401);
  }

  // ---- a visitor's session ----

  @Test
  void aVisitorSendsReadsItsHistoryAndStreamsOnlyItsOwnConversation() throws Exception {
    Session visitor = session(app, "main");
    String other = "other-" + UUID.randomUUID();
    String otherSecret = "other-secret-" + UUID.randomUUID();
    String mine = "mine-" + UUID.randomUUID();
    Map<String, String> operator = Map.of("Authorization", "Bearer " + TOKEN);
    try (RawSse own = RawSse.open(app.port, "/api/events?token=" + enc(visitor.token()), Map.of());
        SseClient all = SseClient.connect(app.url("/api/events"), operator)) {
      // Another conversation, on the unfiltered stream the operator sees.
      assertThat(call(app, "POST", "/api/portal/send", sendBody("main", other, otherSecret), operator).status()).isEqualTo(200);
      all.await("inbound_message", j -> otherSecret.equals(j.getString("text")), WAIT);
      all.await("outbound_message", j -> PortalConversations.id("main", other).equals(j.getString("channel_id")), WAIT);

      Res sent = call(app, "POST", "/api/portal/send", sendBody("main", visitor.sessionId(), mine), visitor.auth());
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      own.awaitText(mine, WAIT);
      own.awaitText("\"type\":\"outbound_message\"", WAIT);
      String seen = own.text();
      assertThat(seen).contains(visitor.conversationId()).doesNotContain(otherSecret).doesNotContain(other);
      assertThat(dataLines(seen)).isNotEmpty().allSatisfy(data ->
          assertThat(new JsonObject(data).getString("channel_id")).as(data).isEqualTo(visitor.conversationId()));

      // Resuming from the start of the replay buffer is filtered just the same.
      String boot = eventId(seen).substring(0, eventId(seen).lastIndexOf('-'));
      try (RawSse resumed = RawSse.open(app.port, "/api/events?token=" + enc(visitor.token()),
          Map.of("Last-Event-ID", boot + "-0"))) {
        resumed.awaitText(mine, WAIT);
        resumed.awaitText("\"type\":\"outbound_message\"", WAIT);
        assertThat(resumed.text()).doesNotContain(otherSecret).doesNotContain(other);
        assertThat(dataLines(resumed.text())).allSatisfy(data ->
            assertThat(new JsonObject(data).getString("channel_id")).isEqualTo(visitor.conversationId()));
      }
    }

    Res history = call(app, "GET", "/api/portal/history?agent_id=main&session_id=" + visitor.sessionId(), visitor.auth());
    assertThat(history.status()).isEqualTo(200);
    JsonArray messages = history.json().getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("text")).isEqualTo(mine);

    assertForbidden(call(app, "GET", "/api/portal/history?agent_id=main&session_id=" + other, visitor.auth()));
    assertForbidden(call(app, "POST", "/api/portal/send", sendBody("main", other, "intruding"), visitor.auth()));
    assertForbidden(call(app, "GET", "/api/events?channel_id=" + enc(PortalConversations.id("main", other)) + "&token="
        + enc(visitor.token()), Map.of()));
    assertForbidden(call(app, "GET", "/api/channels", visitor.auth()));
    assertForbidden(call(app, "GET", "/api/agents/memories?agent_id=main", visitor.auth()));
    assertForbidden(call(app, "GET", "/api/status", visitor.auth()));
    // The other conversation holds only its own message: the refused send left nothing.
    JsonArray otherHistory = call(app, "GET", "/api/portal/history?agent_id=main&session_id=" + other, operator).json()
        .getJsonArray("messages");
    assertThat(otherHistory.stream().map(o -> ((JsonObject) o).getString("text"))).doesNotContain("intruding");
  }

  @Test
  void aVisitorSeesWhatTheChatShowsButNoBranchOrToolInternals() throws Exception {
    Session visitor = session(app, "main");
    String hidden = "hidden-memory-" + UUID.randomUUID();
    RoleScript.on(model)
        .then(CHANNEL, RoleScript.call("branch", new JsonObject().put("description", "Remember " + hidden)))
        .then(CHANNEL, ModelStep.toolCall("skip", "{}"))
        .then(BRANCH, RoleScript.call("memory_save", new JsonObject().put("content", hidden).put("memory_type", "fact")))
        .then(BRANCH, ModelStep.text("Saved " + hidden))
        .then(CHANNEL, reply("Noted."));
    try (RawSse own = RawSse.open(app.port, "/api/events?token=" + enc(visitor.token()), Map.of());
        SseClient operator = SseClient.connect(app.url("/api/events?channel_id=" + enc(visitor.conversationId())),
            Map.of("Authorization", "Bearer " + TOKEN))) {
      assertThat(call(app, "POST", "/api/portal/send", sendBody("main", visitor.sessionId(), "note this"), visitor.auth())
          .status()).isEqualTo(200);
      // The operator, on the same conversation, sees the branch and its tool's arguments.
      assertThat(operator.await("tool_started", j -> "memory_save".equals(j.getString("tool_name")), WAIT).data())
          .contains(hidden);
      operator.await("branch_completed", null, WAIT);
      operator.await("outbound_message", j -> "Noted.".equals(j.getString("text")), WAIT);
      own.awaitText("Noted.", WAIT);
      String seen = own.text();
      assertThat(seen).doesNotContain(hidden).doesNotContain("branch_started").doesNotContain("branch_completed")
          .doesNotContain("\"args\"").doesNotContain("\"result\"");
      // The chat still learns which tool runs, to say so.
      assertThat(dataLines(seen)).anySatisfy(d -> assertThat(new JsonObject(d)).isEqualTo(new JsonObject()
          .put("type", "tool_started").put("agent_id", "main").put("channel_id", visitor.conversationId())
          .put("tool_name", "branch")));
    } finally {
      model.reset();
    }
  }

  @Test
  void aForgedTamperedOrExpiredSessionTokenIs401() throws IOException {
    Session real = session(app, "main");
    byte[] key = readKey(app);
    long now = System.currentTimeMillis() / 1000;
    String expired = new SessionTokens(key).issue("main", real.sessionId(), now - 5);
    String forged = new SessionTokens(new byte[32]).issue("main", real.sessionId(), now + 3600);
    int dot = real.token().lastIndexOf('.');
    String payload = real.token().substring(SessionTokens.PREFIX.length(), dot);
    String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonObject()
        .put("a", "main").put("s", "someone-else").put("x", now + 3600).encode().getBytes(StandardCharsets.UTF_8));
    String tampered = SessionTokens.PREFIX + otherPayload + real.token().substring(dot);
    String flipped = real.token().substring(0, real.token().length() - 2)
        + (real.token().charAt(real.token().length() - 2) == 'A' ? 'B' : 'A') + real.token().charAt(real.token().length() - 1);
    assertThat(payload).isNotEqualTo(otherPayload);
    for (String bad : List.of(expired, forged, tampered, flipped, SessionTokens.PREFIX + "x.y", SessionTokens.PREFIX)) {
      Map<String, String> auth = Map.of("Authorization", "Bearer " + bad);
      assertThat(call(app, "POST", "/api/portal/send", sendBody("main", real.sessionId(), "hi"), auth).json())
          .as(bad).isEqualTo(UNAUTHORIZED);
      Res history = call(app, "GET", "/api/portal/history?agent_id=main&session_id=" + real.sessionId(), auth);
      assertThat(history.status()).as(bad).isEqualTo(401);
      assertThat(history.json()).isEqualTo(UNAUTHORIZED);
      assertThat(call(app, "GET", "/api/events?token=" + enc(bad), Map.of()).status()).as(bad).isEqualTo(401);
    }
    // The real one still works.
    assertThat(call(app, "GET", "/api/portal/history?agent_id=main&session_id=" + real.sessionId(), real.auth()).status())
        .isEqualTo(200);
  }

  @Test
  void aSessionIsRenewedWithItsTokenAndOnlyTheOperatorNamesOne() {
    Session first = session(app, "main");
    Res renewed = call(app, "POST", "/api/portal/session", new JsonObject().put("agent_id", "main").encode(), first.auth());
    assertThat(renewed.status()).isEqualTo(200);
    assertThat(renewed.json().getString("session_id")).isEqualTo(first.sessionId());
    assertThat(renewed.json().getString("conversation_id")).isEqualTo(first.conversationId());
    assertThat(renewed.json().getLong("expires_at")).isGreaterThan(System.currentTimeMillis() + 3_600_000L);
    assertThat(renewed.json().getJsonArray("agents").getJsonObject(0).getString("id")).isEqualTo("main");
    // Without a token: a new, unguessable session.
    Session second = session(app, "main");
    assertThat(second.sessionId()).isNotEqualTo(first.sessionId()).matches("[0-9a-f-]{36}");

    String body = new JsonObject().put("agent_id", "main").put("session_id", "chosen").encode();
    Res visitorNames = call(app, "POST", "/api/portal/session", body, first.auth());
    assertForbidden(visitorNames);
    Res operatorNames = call(app, "POST", "/api/portal/session", body, Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(operatorNames.json().getString("session_id")).isEqualTo("chosen");
    Res unknown = call(app, "POST", "/api/portal/session", new JsonObject().put("agent_id", "nobody").encode(), Map.of());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getString("field")).isEqualTo("agent_id");
    assertThat(call(app, "POST", "/api/portal/session", "[1]", Map.of()).status()).isEqualTo(400);
  }

  @Test
  void theSessionKeyIsKeptOwnerOnly() throws IOException {
    Path key = app.dataDir.resolve(SessionTokens.KEY_FILE);
    assertThat(Files.size(key)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
  }

  // ---- authority of web-chat messages ----

  @Test
  void aVisitorsMessageHasNoAuthorityAndTheOperatorsHas() {
    Session visitor = session(app, "main");
    try (SseClient events = SseClient.connect(app.url("/api/events?token=" + enc(visitor.token())), Map.of())) {
      assertThat(call(app, "POST", "/api/portal/send", sendBody("main", visitor.sessionId(), "/whoami"), visitor.auth()).status())
          .isEqualTo(200);
      String reply = events.await("outbound_message", null, WAIT).json().getString("text");
      assertThat(reply).contains("You cannot change its mode and model.");
    }
    String session = "op-" + UUID.randomUUID();
    Map<String, String> operator = Map.of("Authorization", "Bearer " + TOKEN);
    try (SseClient events = SseClient.connect(app.url("/api/events?channel_id="
        + enc(PortalConversations.id("main", session))), operator)) {
      assertThat(call(app, "POST", "/api/portal/send", sendBody("main", session, "/whoami"), operator).status()).isEqualTo(200);
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text"))
          .contains("You can change its mode and model.");
    }
  }

  // ---- cancel-process names a real conversation ----

  @Test
  void cancelProcessChecksTheConversationId() {
    Map<String, String> operator = Map.of("Authorization", "Bearer " + TOKEN);
    for (String bad : List.of("../..", "portal:chat:main:a/b", "x\u0000y", "<b>", "portal:chat:nobody:s")) {
      Res r = call(app, "POST", "/api/channels/cancel-process",
          new JsonObject().put("channel_id", bad).put("process_id", "p1").encode(), operator);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().getString("field")).isEqualTo("channel_id");
      assertThat(r.body()).doesNotContain(bad);
    }
    Res wrongAgent = call(app, "POST", "/api/channels/cancel-process", new JsonObject().put("agent_id", "main")
        .put("channel_id", "portal:chat:other:s").put("process_id", "p1").encode(), operator);
    assertThat(wrongAgent.status()).isEqualTo(400);
    for (JsonObject good : List.of(
        new JsonObject().put("channel_id", "portal:chat:main:s1").put("process_id", "p1"),
        new JsonObject().put("agent_id", "main").put("channel_id", "telegram:-100123").put("process_id", "p1"))) {
      Res r = call(app, "POST", "/api/channels/cancel-process", good.encode(), operator);
      assertThat(r.status()).as(r.body()).isEqualTo(404); // well-formed, but nothing runs there
    }
  }

  // ---- the routes ----

  /** Every route of a live API router as {method, concrete path, declared path}. */
  private List<String[]> probes() {
    SpacebotConfig config = withApi(app.running().config(), "127.0.0.1", TOKEN);
    ApiVerticle api = new ApiVerticle(withPort0(config), app.running().intake(), app.running().telemetry().registry());
    String id = app.running().vertx().deployVerticle(api).await();
    List<Route> routes;
    try {
      routes = api.routes();
    } finally {
      app.running().vertx().undeploy(id).await();
    }
    Set<String> seen = new LinkedHashSet<>();
    List<String[]> probes = new ArrayList<>();
    for (Route r : routes) {
      String path = r.getPath();
      if (path == null) {
        // A handler for every request; a pathRegex route would have no path either and could not be probed.
        assertThat(r.isRegexPath()).as("a regex route cannot be probed: give it a path").isFalse();
        continue;
      }
      if (path.equals("/")) {
        continue; // the static page
      }
      String concrete = r.isExactPath() ? path.replaceAll(":[A-Za-z_]+", "probe")
          : path + (path.endsWith("/") ? "" : "/") + "probe";
      Set<HttpMethod> methods = r.methods() == null || r.methods().isEmpty()
          ? Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE) : r.methods();
      for (HttpMethod m : methods) {
        if (seen.add(m.name() + " " + concrete)) {
          probes.add(new String[] {m.name(), concrete, path});
        }
      }
    }
    return probes;
  }
}
