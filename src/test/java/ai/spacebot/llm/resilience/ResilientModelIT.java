package ai.spacebot.llm.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.UsageRecord;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.LlmConfig;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.ModelCatalog;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fallback chain against two scripted OpenAI-compatible providers ("primary" and "backup"), built
 * the production way: config loaded by {@link ConfigLoader}, raw models from {@link ModelCatalog}.
 */
class ResilientModelIT {
  private static final String PRIMARY = "primary/mock";
  private static final String BACKUP = "backup/mock";
  private static final CallContext CTX = new CallContext("main", "channel", "ch-1", "conv-1", "medium");

  private static ScriptedModelServer primary;
  private static ScriptedModelServer backup;

  private Vertx vertx;
  private final Queue<UsageRecord> usage = new ConcurrentLinkedQueue<>();
  private final Queue<JsonObject> events = new ConcurrentLinkedQueue<>();
  private final Queue<JsonObject> cooldownMessages = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void startServers() {
    primary = ScriptedModelServer.start();
    backup = ScriptedModelServer.start();
  }

  @AfterAll
  static void stopServers() {
    primary.close();
    backup.close();
  }

  @BeforeEach
  void setUp() {
    primary.reset();
    backup.reset();
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_COOLDOWN, m -> cooldownMessages.add(m.body()));
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static LlmConfig config(int timeoutSeconds) throws Exception {
    Path dir = Files.createTempDirectory("spacebot-resilience");
    Files.writeString(dir.resolve("config.yaml"), """
        llm:
          timeout_seconds: %d
          providers:
            primary:
              kind: openai
              base_url: %s
              api_key: primary-key
              default_model: mock
            backup:
              kind: openai
              base_url: %s
              api_key: backup-key
              default_model: mock
          fallbacks:
            - model: %s
              then: [%s]
          prices:
            - model: %s
              input: 1.0
              output: 2.0
        """.formatted(timeoutSeconds, primary.baseUrl(), backup.baseUrl(), PRIMARY, BACKUP, BACKUP));
    return new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString())).load(null).llm();
  }

  private ModelResilience resilience(int timeoutSeconds) throws Exception {
    LlmConfig llm = config(timeoutSeconds);
    ModelCatalog catalog = new ModelCatalog(vertx, llm);
    return new ModelResilience(vertx, llm.resilience(), catalog::streaming, llm.fallbacks(), llm::price, usage::add,
        Duration.ofSeconds(llm.timeoutSeconds()), Cooldowns.of(vertx),
        // Each test its own breakers: one that opened the primary's circuit must not leak into the next.
        ModelResilience.newCircuitBreakers(llm.resilience()));
  }

  private ModelResilience resilience() throws Exception {
    return resilience(20);
  }

  /** What the caller's handler saw. */
  private static final class Seen implements StreamingChatResponseHandler {
    final Queue<String> partials = new ConcurrentLinkedQueue<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partial) {
      partials.add(partial);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    ChatResponse answer() throws Exception {
      return done.get(30, TimeUnit.SECONDS);
    }

    Throwable error() throws Exception {
      try {
        done.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return e.getCause();
      }
      throw new AssertionError("expected an error, got an answer");
    }
  }

  private static Seen chat(ResilientModel model, String text) {
    Seen seen = new Seen();
    model.chat(ChatRequest.builder().messages(UserMessage.from(text)).build(), seen);
    return seen;
  }

  private static long gapMs(List<RecordedRequest> requests, int i) {
    return TimeUnit.NANOSECONDS.toMillis(requests.get(i).receivedNanos() - requests.get(i - 1).receivedNanos());
  }

  private static long promptTokens(RecordedRequest r) {
    return Math.max(1, r.body().getJsonArray("messages").encode().length() / 4);
  }

  @Test
  void rateLimitedThreeTimesThenTheFallbackAnswersAndThePrimaryCoolsDown() throws Exception {
    ModelResilience resilience = resilience();
    ResilientModel model = resilience.model(CTX, PRIMARY);
    assertThat(model.chain()).containsExactly(PRIMARY, BACKUP);
    primary.enqueue(ModelStep.error(429, "Rate limit reached"), ModelStep.error(429, "Rate limit reached"),
        ModelStep.error(429, "Rate limit reached"));
    backup.enqueue(ModelStep.text("from ", "backup"));

    ChatResponse answer = chat(model, "hello").answer();

    assertThat(answer.aiMessage().text()).isEqualTo("from backup");
    List<RecordedRequest> calls = primary.requests();
    assertThat(calls).hasSize(3);
    assertThat(backup.requestCount()).isEqualTo(1);
    assertThat(gapMs(calls, 1)).isBetween(450L, 1400L);
    assertThat(gapMs(calls, 2)).isBetween(950L, 2400L);
    assertThat(resilience.cooldowns().coolingDown(PRIMARY)).isTrue();
    waitFor(() -> !cooldownMessages.isEmpty());
    assertThat(cooldownMessages.peek().getString("model")).isEqualTo(PRIMARY);
    assertThat(cooldownMessages.peek().getLong("until")).isGreaterThan(System.currentTimeMillis() + 50_000);

    // usage: three failed calls of the primary, one answer of the backup with the scripted token counts
    List<UsageRecord> records = List.copyOf(usage);
    assertThat(records).hasSize(4);
    assertThat(records).extracting(UsageRecord::fallbackPosition).containsExactly(0, 0, 0, 1);
    assertThat(records).extracting(UsageRecord::outcome).containsExactly("failed", "failed", "failed", "ok");
    assertThat(records).extracting(UsageRecord::model).containsExactly(PRIMARY, PRIMARY, PRIMARY, BACKUP);
    assertThat(records.get(0).error()).contains("429").contains("Rate limit reached");
    UsageRecord ok = records.get(3);
    assertThat(ok.inputTokens()).isEqualTo(promptTokens(backup.lastRequest()));
    assertThat(ok.outputTokens()).isEqualTo("from backup".length() / 4);
    assertThat(ok.agentId()).isEqualTo("main");
    assertThat(ok.processKind()).isEqualTo("channel");
    assertThat(ok.processId()).isEqualTo("ch-1");
    assertThat(ok.conversationId()).isEqualTo("conv-1");
    assertThat(ok.tier()).isEqualTo("medium");
    assertThat(ok.costUsd()).isEqualTo((ok.inputTokens() * 1.0 + ok.outputTokens() * 2.0) / 1_000_000.0);
    assertThat(records.get(0).costUsd()).isZero();

    // the next call (any process on this node) skips the cooling primary
    ChatResponse second = chat(resilience.model(new CallContext("main", "branch", "b-1", "conv-1", null), PRIMARY),
        "again").answer();
    assertThat(second.aiMessage().text()).isEqualTo("ok");
    assertThat(primary.requestCount()).isEqualTo(3);
    assertThat(backup.requestCount()).isEqualTo(2);
    assertThat(usage).hasSize(5);

    // with no other model to go to, the cooling model is tried anyway rather than failing without a call
    ChatResponse alone = chat(resilience.model(CTX, List.of(PRIMARY)), "alone").answer();
    assertThat(alone.aiMessage().text()).isEqualTo("ok");
    assertThat(primary.requestCount()).isEqualTo(4);
  }

  @Test
  void aForcedAttemptOnACoolingModelGetsOneTry() throws Exception {
    ModelResilience resilience = resilience();
    ResilientModel alone = resilience.model(CTX, List.of(PRIMARY));
    primary.respondWith(r -> ModelStep.error(429, "Rate limit reached"));

    Throwable first = chat(alone, "hello").error();
    assertThat(primary.requestCount()).as("the first call gets its retries").isEqualTo(3);
    assertThat(first).isInstanceOf(AllModelsFailedException.class);
    Cooldowns.Entry cooling = ((AllModelsFailedException) first).cooldowns().get(0);
    assertThat(cooling.model()).isEqualTo(PRIMARY);
    assertThat(cooling.quota()).isFalse();
    assertThat(cooling.untilMillis()).isGreaterThan(System.currentTimeMillis() + 50_000);

    // While it cools, each new call still reaches it (nothing else could answer), but once only.
    for (int i = 2; i <= 3; i++) {
      Throwable again = chat(alone, "hello " + i).error();
      assertThat(again).isInstanceOf(AllModelsFailedException.class);
      assertThat(primary.requestCount()).isEqualTo(3 + (i - 1));
    }
    assertThat(usage).extracting(UsageRecord::outcome).containsOnly("failed").hasSize(5);
  }

  @Test
  void anEmptyAnswerAfterToolResultsEndsTheTurnButAnEmptyFirstAnswerIsRetried() throws Exception {
    ModelResilience resilience = resilience();
    ResilientModel model = resilience.model(CTX, PRIMARY);
    ToolExecutionRequest spawn = ToolExecutionRequest.builder().id("call-1").name("spawn_worker")
        .arguments("{\"task\":\"index\"}").build();
    primary.enqueue(ModelStep.empty());

    Seen seen = new Seen();
    model.chat(ChatRequest.builder().messages(UserMessage.from("index the docs"), AiMessage.from(List.of(spawn)),
        ToolExecutionResultMessage.from(spawn, "Worker w-1 started")).build(), seen);
    ChatResponse ending = seen.answer();

    assertThat(ending.aiMessage().text()).isNullOrEmpty();
    assertThat(ending.aiMessage().hasToolExecutionRequests()).isFalse();
    assertThat(primary.requestCount()).isEqualTo(1);
    assertThat(usage).extracting(UsageRecord::outcome).containsExactly("ok");
    CircuitBreaker breaker = resilience.circuitBreakers().circuitBreaker(PRIMARY);
    assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();

    // An empty answer to a person's message is a failure: retried on the same model.
    primary.enqueue(ModelStep.empty(), ModelStep.text("here"));
    assertThat(chat(model, "hello").answer().aiMessage().text()).isEqualTo("here");
    assertThat(primary.requestCount()).isEqualTo(3);
    assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void unauthorizedFailsAtOnceWithoutFallback() throws Exception {
    ModelResilience resilience = resilience();
    primary.enqueue(ModelStep.error(401, "Incorrect API key provided"));

    Throwable error = chat(resilience.model(CTX, PRIMARY), "hello").error();

    assertThat(error).isInstanceOf(AuthenticationException.class);
    assertThat(primary.requestCount()).isEqualTo(1);
    assertThat(backup.requestCount()).isZero();
    assertThat(usage).hasSize(1);
    assertThat(usage.peek().outcome()).isEqualTo("failed");
  }

  @Test
  void outOfQuotaGoesToTheFallbackAfterOneCallAndTellsTheOperator() throws Exception {
    ModelResilience resilience = resilience();
    primary.enqueue(ModelStep.quotaExceeded());

    ChatResponse answer = chat(resilience.model(CTX, PRIMARY), "hello").answer();

    assertThat(answer.aiMessage().text()).isEqualTo("ok");
    assertThat(primary.requestCount()).isEqualTo(1);
    assertThat(backup.requestCount()).isEqualTo(1);
    Cooldowns.Entry cooling = resilience.cooldowns().active(PRIMARY).orElseThrow();
    assertThat(cooling.quota()).isTrue();
    assertThat(cooling.untilMillis()).isGreaterThan(System.currentTimeMillis() + 3_000_000);
    waitFor(() -> events.stream().anyMatch(e -> "model_cooldown".equals(e.getString("type"))));
    JsonObject event = events.stream().filter(e -> "model_cooldown".equals(e.getString("type"))).findFirst().orElseThrow();
    assertThat(event.getBoolean("quota")).isTrue();
    assertThat(event.getString("model")).isEqualTo(PRIMARY);
    assertThat(event.getString("agent_id")).isEqualTo("main");
    assertThat(event.getString("channel_id")).isEqualTo("conv-1");
    assertThat(event.getString("reason")).contains("quota");
  }

  @Test
  void aServerErrorIsRetriedOnTheSameModel() throws Exception {
    ModelResilience resilience = resilience();
    primary.enqueue(ModelStep.error(502, "Bad gateway"), ModelStep.text("second try"));

    ChatResponse answer = chat(resilience.model(CTX, PRIMARY), "hello").answer();

    assertThat(answer.aiMessage().text()).isEqualTo("second try");
    assertThat(primary.requestCount()).isEqualTo(2);
    assertThat(backup.requestCount()).isZero();
    assertThat(gapMs(primary.requests(), 1)).isBetween(450L, 1400L);
    assertThat(usage).extracting(UsageRecord::outcome).containsExactly("failed", "ok");
    assertThat(usage).extracting(UsageRecord::fallbackPosition).containsExactly(0, 0);
    assertThat(resilience.cooldowns().coolingDown(PRIMARY)).isFalse();
  }

  @Test
  void aTimeoutIsRetried() throws Exception {
    ModelResilience resilience = resilience(1);
    primary.enqueue(ModelStep.hang(), ModelStep.text("awake"));

    ChatResponse answer = chat(resilience.model(CTX, PRIMARY), "hello").answer();

    assertThat(answer.aiMessage().text()).isEqualTo("awake");
    assertThat(primary.requestCount()).isEqualTo(2);
    assertThat(gapMs(primary.requests(), 1)).isBetween(1400L, 4000L); // 1 s timeout + 0.5 s backoff
    assertThat(usage.peek().error()).containsIgnoringCase("timeout");
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    ModelResilience resilience = resilience();
    primary.enqueue(ModelStep.error(429, "Rate limit reached").withHeader("Retry-After", "2"), ModelStep.text("later"));

    ChatResponse answer = chat(resilience.model(CTX, PRIMARY), "hello").answer();

    assertThat(answer.aiMessage().text()).isEqualTo("later");
    assertThat(primary.requestCount()).isEqualTo(2);
    assertThat(gapMs(primary.requests(), 1)).isBetween(1950L, 3500L);
    assertThat(backup.requestCount()).isZero();
  }

  @Test
  void aRetryAfterLongerThanAllowedGoesToTheFallback() throws Exception {
    ModelResilience resilience = resilience();
    primary.enqueue(ModelStep.error(429, "Rate limit reached").withHeader("Retry-After", "600"));

    ChatResponse answer = chat(resilience.model(CTX, PRIMARY), "hello").answer();

    assertThat(answer.aiMessage().text()).isEqualTo("ok");
    assertThat(primary.requestCount()).isEqualTo(1);
    assertThat(backup.requestCount()).isEqualTo(1);
    assertThat(resilience.cooldowns().active(PRIMARY).orElseThrow().untilMillis())
        .isGreaterThan(System.currentTimeMillis() + 590_000);
  }

  @Test
  void whenEveryModelFailsTheErrorNamesThemAll() throws Exception {
    ModelResilience resilience = resilience();
    primary.respondWith(r -> ModelStep.error(500, "primary is down"));
    backup.respondWith(r -> ModelStep.error(503, "backup is down"));

    Throwable error = chat(resilience.model(CTX, PRIMARY), "hello").error();

    assertThat(error).isInstanceOf(AllModelsFailedException.class);
    assertThat(error.getMessage()).contains(PRIMARY).contains("primary is down").contains(BACKUP)
        .contains("backup is down");
    assertThat(primary.requestCount()).isEqualTo(3);
    assertThat(backup.requestCount()).isEqualTo(3);
    assertThat(usage).hasSize(6);
    assertThat(usage).extracting(UsageRecord::fallbackPosition).containsExactly(0, 0, 0, 1, 1, 1);
  }

  @Test
  void aFailureAfterTheFirstStreamedTokenIsReportedNotRetried() throws Exception {
    ModelResilience resilience = resilience();
    primary.enqueue(ModelStep.text("Hel", "lo", " world").cutAfter(2));

    Seen seen = chat(resilience.model(CTX, PRIMARY), "hello");
    Throwable error = seen.error();

    assertThat(error).isNotInstanceOf(AllModelsFailedException.class);
    assertThat(String.join("", seen.partials)).startsWith("Hel");
    assertThat(primary.requestCount()).isEqualTo(1);
    assertThat(backup.requestCount()).isZero();
    assertThat(usage).extracting(UsageRecord::outcome).containsExactly("failed");
  }

  @Test
  void anOpenCircuitSkipsTheModel() throws Exception {
    ModelResilience resilience = resilience();
    resilience.circuitBreakers().circuitBreaker(PRIMARY).transitionToOpenState();

    ChatResponse answer = chat(resilience.model(CTX, PRIMARY), "hello").answer();

    assertThat(answer.aiMessage().text()).isEqualTo("ok");
    assertThat(primary.requestCount()).isZero();
    assertThat(backup.requestCount()).isEqualTo(1);
    assertThat(usage).extracting(UsageRecord::fallbackPosition).containsExactly(1);
  }

  @Test
  void failuresOpenTheCircuit() throws Exception {
    ModelResilience resilience = resilience();
    // window 10 calls, 50 %: ten failed calls (3 requests of 3 attempts + 1) open the primary's breaker
    primary.respondWith(r -> ModelStep.error(500, "down"));
    for (int i = 0; i < 4; i++) {
      chat(resilience.model(CTX, PRIMARY), "hello " + i).answer();
    }
    int before = primary.requestCount();
    assertThat(before).isGreaterThanOrEqualTo(10);
    assertThat(resilience.circuitBreakers().circuitBreaker(PRIMARY).getState().name()).isEqualTo("OPEN");
    chat(resilience.model(CTX, PRIMARY), "skipped").answer();
    assertThat(primary.requestCount()).isEqualTo(before);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(20);
    }
  }
}
