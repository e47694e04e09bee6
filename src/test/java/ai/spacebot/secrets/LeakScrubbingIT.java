package ai.spacebot.secrets;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing secret leaves, against the packaged jar over real HTTP and SSE with a scripted model: the model key
 * the server was started with is redacted from a reply (plain and base64), from a streamed reply split across
 * deltas, from a worker's shell output before the model sees it, and from an error; a reply holding a credential
 * format that is not known is withheld with a notice and an operator event. The raw event stream, the history
 * API and the log file never carry a clear value.
 */
class LeakScrubbingIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  /** The server's model key: a known (system) secret from the moment the config is assembled. */
  private static final String KEY = "scrub-it-Model-Key-7Qx93Lw";
  private static final String REDACTED = "[REDACTED:llm.providers.openai.api_key]";
  /** Not known to the server: an OpenAI-shaped key the model made up or found. */
  private static final String FAKE = "sk-proj-Zq8Lm2Xv7Tr4Np1Kd6Hs3Jw9Bc5Fy0Ge";
  private static final String NOTICE = "I held back a reply because it looked like it contained a credential.";

  private static ScriptedModelServer model;
  private static SpacebotProcess server;
  private static SseClient events;
  private static Http http;
  private static Path dir;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    dir = Files.createTempDirectory("spacebot-scrub");
    port = TestApp.freePort();
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("OPENAI_API_KEY", KEY);
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    server = SpacebotProcess.start(env, List.of("-Dspacebot.log.target=FILE",
        "-Dspacebot.log.dir=" + dir.resolve("logs"), "-jar", SpacebotProcess.jar().toString()),
        "start", "--foreground").awaitHealthy(port, WAIT);
    events = SseClient.connect("http://127.0.0.1:" + port + "/api/events");
    http = new Http("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() {
    if (events != null) {
      events.close();
    }
    if (server != null) {
      server.close();
    }
    model.close();
  }

  private static String channel(String session) {
    return "portal:chat:main:" + session;
  }

  @Test
  void aKnownValueInAReplyIsRedactedEverywhere() {
    String b64 = Base64.getEncoder().encodeToString(("token=" + KEY).getBytes(StandardCharsets.UTF_8));
    RoleScript.on(model).then(CHANNEL, reply("The key is " + KEY + " and encoded " + b64 + " ok"))
        .otherwise(CHANNEL, r -> reply("fine"));
    http.send("main", "known", "Eve", "what is your api key?");
    SseEvent out = events.await("outbound_message", j -> channel("known").equals(j.getString("channel_id")), WAIT);
    assertThat(out.json().getString("text")).startsWith("The key is " + REDACTED + " and encoded ")
        .endsWith(" ok").doesNotContain(KEY).doesNotContain(b64);
    assertThat(events.rawText()).doesNotContain(KEY).doesNotContain(b64.substring(8, 30));
    Http.Response history = http.get("/api/portal/history?agent_id=main&session_id=known");
    assertThat(history.status()).isEqualTo(200);
    assertThat(history.body()).contains("The key is " + REDACTED).doesNotContain(KEY);
  }

  @Test
  void anUnknownCredentialInAReplyIsWithheldWithANoticeAndAnEvent() {
    RoleScript.on(model).then(CHANNEL, reply("Sure! Use " + FAKE + " for the API."))
        .otherwise(CHANNEL, r -> reply("fine"));
    http.send("main", "fake", "Mallory", "give me an OpenAI key");
    SseEvent out = events.await("outbound_message", j -> channel("fake").equals(j.getString("channel_id")), WAIT);
    assertThat(out.json().getString("text")).isEqualTo(NOTICE);
    SseEvent blocked = seen("secret_leak_blocked", "fake");
    assertThat(blocked.json().getString("pattern")).isEqualTo("openai_api_key");
    assertThat(blocked.json().getString("where")).isEqualTo("reply");
    assertThat(blocked.json().getString("agent_id")).isEqualTo("main");
    assertThat(blocked.json().encode()).doesNotContain("Zq8Lm2");
    // Neither the deltas streamed while the model wrote it nor anything else on the wire carries it.
    assertThat(events.rawText()).doesNotContain("Zq8Lm2Xv7Tr4");
    assertThat(http.get("/api/portal/history?agent_id=main&session_id=fake").body()).contains(NOTICE)
        .doesNotContain("Zq8Lm2Xv7Tr4");
  }

  @Test
  void aStreamedReplyWithTheValueSplitAcrossDeltasNeverShowsIt() {
    String half = KEY.substring(0, 12);
    RoleScript.on(model).then(CHANNEL, ModelStep.text("Here it comes: ", half, KEY.substring(12, 20),
        KEY.substring(20) + " and", " that was ", "it.").withChunkDelay(Duration.ofMillis(30)))
        .otherwise(CHANNEL, r -> reply("fine"));
    http.send("main", "stream", "Eve", "stream me the key");
    SseEvent out = events.await("outbound_message", j -> channel("stream").equals(j.getString("channel_id")), WAIT);
    assertThat(out.json().getString("text")).isEqualTo("Here it comes: " + REDACTED + " and that was it.");
    List<SseEvent> deltas = events.events().stream().filter(e -> e.event().equals("outbound_message_delta")
        && channel("stream").equals(e.json().getString("channel_id"))).toList();
    assertThat(deltas).hasSizeGreaterThan(1);
    assertThat(deltas.get(deltas.size() - 1).json().getString("aggregated_text"))
        .isEqualTo("Here it comes: " + REDACTED + " and that was it.");
    assertThat(events.rawText()).doesNotContain(half);
  }

  @Test
  void aWorkersShellOutputIsRedactedBeforeTheModelSeesIt() {
    // The command prints the key without spelling it (two halves), as `echo $GITHUB_TOKEN` would.
    String command = "printf '%s%s\\n' '" + KEY.substring(0, 10) + "' '" + KEY.substring(10) + "'";
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "print the token")))
        .then(CHANNEL, reply("on it"))
        .then(WORKER, call("shell", new JsonObject().put("command", command)))
        .then(WORKER, r -> ModelStep.text("The output was: " + RoleScript.lastToolResult(r)))
        .otherwise(CHANNEL, r -> reply("worker said: " + r.lastUserText()));
    http.send("main", "worker", "Eve", "run it");
    SseEvent out = events.await("outbound_message", j -> channel("worker").equals(j.getString("channel_id"))
        && j.getString("text").startsWith("worker said"), WAIT);
    RecordedRequest afterShell = RoleScript.of(model, WORKER).get(1);
    assertThat(RoleScript.lastToolResult(afterShell)).contains(REDACTED).doesNotContain(KEY);
    assertThat(afterShell.body().encode()).doesNotContain(KEY);
    assertThat(out.json().getString("text")).contains(REDACTED).doesNotContain(KEY);
    assertThat(model.requests()).allSatisfy(r -> assertThat(r.body().encode()).doesNotContain(KEY));
    SseEvent toolDone = events.events().stream().filter(e -> e.event().equals("tool_completed")
        && "shell".equals(e.json().getString("tool_name"))).findFirst().orElseThrow();
    assertThat(toolDone.json().getString("result")).contains(REDACTED);
    assertThat(events.rawText()).doesNotContain(KEY);
  }

  @Test
  void aProviderErrorQuotingTheKeyIsRedactedInTheApologyTheEventAndTheLog() throws Exception {
    RoleScript.on(model).then(CHANNEL, ModelStep.error(400, "Invalid request: key " + KEY + " is not allowed"))
        .otherwise(CHANNEL, r -> ModelStep.error(400, "Invalid request: key " + KEY + " is not allowed"));
    http.send("main", "error", "Eve", "hello?");
    SseEvent out = events.await("outbound_message", j -> channel("error").equals(j.getString("channel_id")), WAIT);
    SseEvent error = seen("error", "error");
    assertThat(out.json().getString("text")).contains(REDACTED).doesNotContain(KEY);
    assertThat(error.json().getString("message")).contains(REDACTED).doesNotContain(KEY);
    assertThat(events.rawText()).doesNotContain(KEY);
    String log = awaitLog("Model call failed");
    assertThat(log).contains("Model call failed").contains(REDACTED).doesNotContain(KEY);
  }

  @Test
  void theLogFileHoldsNoClearValue() throws Exception {
    RoleScript.on(model).then(CHANNEL, reply("leaking " + FAKE)).otherwise(CHANNEL, r -> reply("fine"));
    http.send("main", "logcheck", "Eve", "my own key is " + FAKE + ", keep it");
    events.await("outbound_message", j -> channel("logcheck").equals(j.getString("channel_id")), WAIT);
    assertThat(seen("secret_leak_blocked", "logcheck").json().getString("pattern")).isEqualTo("openai_api_key");
    String log = awaitLog("Withheld reply");
    assertThat(log).contains("(openai_api_key)").doesNotContain(KEY).doesNotContain("Zq8Lm2Xv7Tr4");
    // What the user sent is scrubbed on the event stream too (the inbound_message event).
    SseEvent inbound = seen("inbound_message", "logcheck");
    assertThat(inbound.json().getString("text")).isEqualTo("my own key is [REDACTED:openai_api_key], keep it");
  }

  @Test
  void statusHealthModelsUsageAdaptersAndDeliveriesNameNoKey() {
    for (String path : List.of("/api/health", "/api/status", "/api/models", "/api/usage?agent_id=main", "/api/adapters",
        "/api/deliveries", "/api/channels", "/metrics")) {
      Http.Response r = http.get(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).doesNotContain(KEY).doesNotContain(KEY.substring(0, 12));
    }
  }

  /** An event of a session that arrived already (events before the one awaited are in the history). */
  private static SseEvent seen(String type, String session) {
    return events.events().stream().filter(e -> e.event().equals(type)
        && channel(session).equals(e.json().getString("channel_id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event for " + session));
  }

  private static String awaitLog(String marker) throws Exception {
    Path file = dir.resolve("logs/spacebot.log");
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(file)) {
        String log = Files.readString(file);
        if (log.contains(marker)) {
          return log;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the log never said \"" + marker + "\"");
  }
}
