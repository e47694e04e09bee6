package ai.spacebot.messaging.parity;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.messaging.parity.PlatformDriver.Chat;
import ai.spacebot.messaging.parity.PlatformDriver.Scenario;
import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.TestInstance;

/**
 * The adapter parity suite: one set of scenarios, written once, run against every platform through its
 * {@link PlatformDriver} (a local peer that behaves like the real service). Each subclass names its driver. The
 * model is scripted: it echoes, or answers long ("LONG"), slowly ("SLOW"), or hangs once ("CRASH").
 *
 * <p>A scenario a platform cannot have (the web chat has no 429s) is left out through
 * {@link PlatformDriver#unsupported()}: the scenarios are dynamic tests, so what does not apply is not generated
 * (never a skipped test), and every platform that has a feature always runs its scenario.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ParityScenarios {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** A reply longer than any platform's limit, with a code block that must survive the split. */
  static final String LONG_REPLY = longReply();

  private ScriptedModelServer model;
  private PlatformDriver driver;
  private TestApp app;
  private final AtomicBoolean hangNextCrash = new AtomicBoolean(true);

  /** The platform's driver, peers started. */
  protected abstract PlatformDriver createDriver() throws Exception;

  @BeforeAll
  void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(this::answer);
    driver = createDriver();
    app = TestApp.start(env(driver.env()), Files.createTempDirectory("spacebot-parity-" + driver.platform()),
        yaml(), null);
    driver.attach("http://127.0.0.1:" + app.port);
    awaitAdapter(app, "connected");
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (model != null) {
      model.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> parity() {
    List<DynamicTest> tests = new ArrayList<>();
    add(tests, null, "a direct message is answered", this::aDirectMessageIsAnswered);
    add(tests, Scenario.GROUPS, "a group that requires a mention keeps other messages unanswered",
        this::aGroupThatRequiresAMentionKeepsOtherMessagesUnanswered);
    add(tests, Scenario.GROUPS, "mention_only answers mentions and commands, observe answers nothing",
        this::mentionOnlyAnswersMentionsAndCommandsAndObserveAnswersNothing);
    add(tests, Scenario.SPLIT, "a long reply is split at the limit with its code block intact",
        this::aLongReplyIsSplitAtTheLimitWithItsCodeBlockIntact);
    add(tests, null, "a redelivered message makes one turn", this::aRedeliveredMessageMakesOneTurn);
    add(tests, Scenario.RATE_LIMIT, "a 429 is waited out and the reply delivered once",
        this::aRateLimitIsWaitedOutAndTheReplyDeliveredOnce);
    add(tests, Scenario.SERVER_ERROR, "a 5xx is retried and delivered", this::aServerErrorIsRetriedAndDelivered);
    add(tests, Scenario.FORBIDDEN, "a 403 fails, is listed and can be retried",
        this::aForbiddenSendFailsIsListedAndCanBeRetried);
    add(tests, Scenario.DROP_CONNECTION, "a dropped connection reconnects and the conversation goes on",
        this::aDroppedConnectionReconnectsAndTheConversationGoesOn);
    add(tests, Scenario.TYPING, "typing is shown while a turn runs and stops after",
        this::typingIsShownWhileATurnRunsAndStopsAfter);
    add(tests, Scenario.BAD_TOKEN, "a refused token is reported clearly and the web chat still answers",
        this::aRefusedTokenIsReportedClearlyAndTheWebChatStillAnswers);
    add(tests, null, "a crash between accept and reply is answered exactly once after restart",
        this::aCrashBetweenAcceptAndReplyIsAnsweredExactlyOnceAfterRestart);
    return tests.stream();
  }

  private void add(List<DynamicTest> tests, Scenario needs, String name, Executable scenario) {
    if (needs == null || !driver.unsupported().contains(needs)) {
      tests.add(DynamicTest.dynamicTest(driver.platform() + ": " + name, scenario));
    }
  }

  private ModelStep answer(RecordedRequest r) {
    String text = String.valueOf(r.lastUserText());
    if (text.contains("CRASH") && hangNextCrash.getAndSet(false)) {
      return ModelStep.hang();
    }
    if (text.contains("LONG")) {
      return reply(LONG_REPLY);
    }
    ModelStep step = reply("echo: " + text.replaceAll("^\\[[^\\]]*\\] ", ""));
    return text.contains("SLOW") ? step.delayed(Duration.ofMillis(2500)) : step;
  }

  private static ModelStep reply(String content) {
    return ModelStep.toolCall("reply", new JsonObject().put("content", content).encode());
  }

  private Map<String, String> env(Map<String, String> platform) {
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.putAll(platform);
    return env;
  }

  private String yaml() {
    return "delivery:\n  max_attempts: 3\n  initial_backoff_ms: 200\n  max_backoff_ms: 1000\n" + driver.yaml();
  }

  private void aDirectMessageIsAnswered() {
    Chat dm = driver.dm("1001", "Ada");
    driver.say(dm, "1001", "Ada", "hello there", false);
    List<String> replies = awaitReplies(dm, 1);
    assertThat(replies.get(0)).contains("echo: hello there");
  }

  private void aGroupThatRequiresAMentionKeepsOtherMessagesUnanswered() {
    Chat group = driver.group("active+mention");
    driver.say(group, "1002", "Bo", "just chatting among ourselves", false);
    Await.until(() -> "observed".equals(status(group, "just chatting among ourselves")), WAIT, "kept, not answered");
    driver.say(group, "1002", "Bo", "what do you think", true);
    List<String> replies = awaitReplies(group, 1);
    assertThat(replies.get(0)).contains("what do you think");
    quiet();
    assertThat(driver.botMessages(group)).hasSize(1);
  }

  private void mentionOnlyAnswersMentionsAndCommandsAndObserveAnswersNothing() {
    Chat mentionOnly = driver.group("mention_only");
    driver.say(mentionOnly, "1003", "Cy", "no mention here", false);
    driver.say(mentionOnly, "1003", "Cy", "/help", false);
    awaitReplies(mentionOnly, 1);
    assertThat(driver.botMessages(mentionOnly).get(0)).contains("/whoami");
    driver.say(mentionOnly, "1003", "Cy", "now with a mention", true);
    assertThat(awaitReplies(mentionOnly, 2).get(1)).contains("now with a mention");
    assertThat(status(mentionOnly, "no mention here")).isEqualTo("observed");

    Chat observe = driver.group("observe");
    driver.say(observe, "1003", "Cy", "observed even when mentioned", true);
    Await.until(() -> "observed".equals(status(observe, "observed even when mentioned")), WAIT, "kept in observe mode");
    quiet();
    assertThat(driver.botMessages(observe)).isEmpty();
  }

  private void aLongReplyIsSplitAtTheLimitWithItsCodeBlockIntact() {
    Chat dm = driver.dm("1004", "Di");
    driver.say(dm, "1004", "Di", "LONG please", false);
    Await.until(() -> String.join("\n", driver.botMessages(dm)).contains("line 199 of the code"), WAIT, "every part");
    quiet();
    List<String> parts = driver.botMessages(dm);
    assertThat(parts.size()).isGreaterThanOrEqualTo(2);
    for (String part : parts) {
      assertThat(part.length()).isLessThanOrEqualTo(driver.maxMessageLength());
      assertThat(driver.wellFormed(part)).as("well-formed: %s", part).isTrue();
    }
    String all = String.join("\n", parts);
    int at = -1;
    for (int i = 0; i < 200; i++) {
      int next = all.indexOf("line " + i + " of the code", at + 1);
      assertThat(next).as("code line %d, once and in order", i).isGreaterThan(at);
      at = next;
    }
    assertThat(all).contains("The end.");
  }

  private void aRedeliveredMessageMakesOneTurn() {
    Chat dm = driver.dm("1005", "Ed");
    int before = model.requestCount();
    String id = driver.say(dm, "1005", "Ed", "only once please", false);
    awaitReplies(dm, 1);
    driver.redeliver(dm, id);
    quiet();
    assertThat(driver.botMessages(dm)).hasSize(1);
    assertThat(model.requestCount() - before).isEqualTo(1);
  }

  private void aRateLimitIsWaitedOutAndTheReplyDeliveredOnce() {
    Chat dm = driver.dm("1006", "Fa");
    driver.failNextSends(429, 2, 1);
    long sent = System.currentTimeMillis();
    driver.say(dm, "1006", "Fa", "rate limited", false);
    awaitReplies(dm, 1);
    assertThat(System.currentTimeMillis() - sent).isGreaterThanOrEqualTo(2000);
    quiet();
    assertThat(driver.botMessages(dm)).hasSize(1);
  }

  private void aServerErrorIsRetriedAndDelivered() {
    Chat dm = driver.dm("1007", "Gu");
    driver.failNextSends(500, 0, 1);
    driver.say(dm, "1007", "Gu", "server trouble", false);
    awaitReplies(dm, 1);
    quiet();
    assertThat(driver.botMessages(dm)).hasSize(1);
  }

  private void aForbiddenSendFailsIsListedAndCanBeRetried() {
    Chat dm = driver.dm("1008", "Ha");
    driver.failNextSends(403, 0, 1);
    driver.say(dm, "1008", "Ha", "you are blocked", false);
    String conversation = driver.conversationId(dm);
    Await.until(() -> failedDelivery(conversation) != null, WAIT, "a failed delivery listed");
    assertThat(driver.botMessages(dm)).isEmpty();
    JsonObject failed = failedDelivery(conversation);
    assertThat(failed.getInteger("attempts")).isEqualTo(1);
    assertThat(app.http.post("/api/deliveries/" + failed.getString("id") + "/retry", "").status()).isEqualTo(200);
    awaitReplies(dm, 1);
  }

  private void aDroppedConnectionReconnectsAndTheConversationGoesOn() {
    Chat dm = driver.dm("1009", "Io");
    driver.say(dm, "1009", "Io", "before the drop", false);
    awaitReplies(dm, 1);
    int connections = driver.connections();
    driver.dropConnection();
    Await.until(() -> driver.connections() > connections, WAIT, "a new connection");
    driver.say(dm, "1009", "Io", "after the drop", false);
    assertThat(awaitReplies(dm, 2).get(1)).contains("after the drop");
  }

  private void typingIsShownWhileATurnRunsAndStopsAfter() throws Exception {
    Chat dm = driver.dm("1010", "Ju");
    driver.say(dm, "1010", "Ju", "SLOW answer please", false);
    awaitReplies(dm, 1);
    int during = driver.typing(dm).size();
    assertThat(during).isGreaterThanOrEqualTo(1);
    Thread.sleep(1500);
    assertThat(driver.typing(dm)).hasSize(during);
  }

  private void aRefusedTokenIsReportedClearlyAndTheWebChatStillAnswers() throws Exception {
    try (TestApp refused = TestApp.start(env(driver.badTokenEnv()), Files.createTempDirectory("spacebot-parity-token"),
        yaml(), null)) {
      JsonObject status = awaitAdapter(refused, "failed");
      assertThat(status.getString("last_error")).containsIgnoringCase("token");
      String session = "web-" + UUID.randomUUID();
      assertThat(refused.http.send("main", session, "Web", "are you there").status()).isEqualTo(200);
      Await.until(() -> refused.http.get("/api/portal/history?agent_id=main&session_id=" + session).json()
          .getJsonArray("messages").size() == 2, WAIT, "the web chat answered");
    }
  }

  private void aCrashBetweenAcceptAndReplyIsAnsweredExactlyOnceAfterRestart() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-parity-crash");
    int port = TestApp.freePort();
    Map<String, String> env = env(driver.env());
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    Files.writeString(dir.resolve("config.yaml"), yaml());
    hangNextCrash.set(true);
    Chat dm = driver.dm("1011", "Ka");
    int before = model.requestCount();
    // The in-JVM app must not answer this conversation: it is stopped while the jar runs.
    app.close();
    try {
      try (SpacebotProcess first = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
        driver.attach("http://127.0.0.1:" + port);
        // A platform that pushes events (Discord's gateway) delivers only to a connected bot.
        awaitAdapter(new Http("http://127.0.0.1:" + port), "connected");
        driver.say(dm, "1011", "Ka", "CRASH during my answer", false);
        Await.until(() -> model.requestCount() > before, WAIT, "the turn started");
        first.kill();
      }
      try (SpacebotProcess second = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
        awaitReplies(dm, 1);
        quiet();
        assertThat(driver.botMessages(dm)).hasSize(1);
        assertThat(driver.botMessages(dm).get(0)).contains("CRASH during my answer");
        second.terminate();
      }
    } finally {
      app = TestApp.start(env(driver.env()), Files.createTempDirectory("spacebot-parity-" + driver.platform()), yaml(),
          null);
      driver.attach("http://127.0.0.1:" + app.port);
      awaitAdapter(app, "connected");
    }
  }

  private List<String> awaitReplies(Chat chat, int n) {
    Await.until(() -> driver.botMessages(chat).size() >= n, WAIT, n + " bot message(s) in " + chat);
    return driver.botMessages(chat);
  }

  /** Long enough for a duplicate reply or a late retry to show up if there were one. */
  private void quiet() {
    AppProbe.quiet(model, WAIT);
  }

  private JsonObject awaitAdapter(TestApp on, String state) {
    return awaitAdapter(on.http, state);
  }

  private JsonObject awaitAdapter(Http on, String state) {
    return AppProbe.awaitAdapter(on, driver.platform(), state, WAIT);
  }

  private String status(Chat chat, String text) {
    return AppProbe.status(app, driver.conversationId(chat), text);
  }

  private JsonObject failedDelivery(String conversation) {
    return AppProbe.failedDelivery(app.http, conversation);
  }

  private static String longReply() {
    StringBuilder out = new StringBuilder("Here is **the whole** script, as asked:\n\n```python\n");
    for (int i = 0; i < 200; i++) {
      out.append("print(\"line ").append(i).append(" of the code\")  # some padding to make it long\n");
    }
    out.append("```\n\nAnd a paragraph after it, with a link to [the docs](https://example.org/docs). The end.");
    return out.toString();
  }
}
