package ai.spacebot.compactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.CompactionCheck;
import ai.spacebot.bus.CompactionDecision;
import ai.spacebot.llm.Prompts;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.ChatJson;
import ai.spacebot.llm.ModelCatalog;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Compactor on a real Vertx, its model an OpenAI-compatible scripted server. */
class CompactorVerticleIT {
  private static ScriptedModelServer model;
  private static Vertx vertx;
  private static SpacebotConfig config;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    Map<String, String> env = new java.util.HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_DIR", Files.createTempDirectory("spacebot-compactor").toString());
    config = new ConfigLoader(env).load(null);
    vertx = Vertx.vertx();
    vertx.deployVerticle(new CompactorVerticle(config, new ai.spacebot.llm.routing.ModelRouter(vertx, config.llm(), new ModelCatalog(vertx, config.llm()), ai.spacebot.llm.usage.BudgetGate.of(vertx))))
        .await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    model.close();
  }

  @BeforeEach
  void resetModel() {
    model.reset();
  }

  private static final ToolExecutionRequest REPLY = ToolExecutionRequest.builder().id("call_1").name("reply")
      .arguments("{\"content\":\"I'll have it by Friday.\"}").build();

  private static List<ChatMessage> slice() {
    return List.of(
        UserMessage.from("[alice] Can you send the Q3 report to Bob by Friday?"),
        AiMessage.from(List.of(REPLY)),
        ToolExecutionResultMessage.from(REPLY, "sent"),
        UserMessage.from("[bob] Thanks, budget is 42000 EUR."));
  }

  private static JsonObject summarizeBody(String agentId, String channelId, List<ChatMessage> messages) {
    return new JsonObject().put("agent_id", agentId).put("channel_id", channelId).put("messages", ChatJson.toJson(messages));
  }

  private static Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body());
  }

  private static CompactionDecision check(String channelId, double share) throws Exception {
    long tokens = Math.round(share * config.compaction().contextWindow());
    return CompactionDecision.fromJson(request(Addresses.COMPACTOR_CHECK,
        new CompactionCheck("main", channelId, tokens, 40).toJson()).await(10, TimeUnit.SECONDS));
  }

  private static ReplyException failure(Future<?> f) {
    Throwable err = f.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(err).isInstanceOf(ReplyException.class);
    return (ReplyException) err;
  }

  @Test
  void summarizeAsksTheCompactorModelWithATranscriptAndRepliesWithItsSummary() throws Exception {
    model.enqueue(ModelStep.text("- Alice asked for the Q3 report for Bob by Friday; ", "the agent promised it.\n",
        "- Bob: budget is 42000 EUR."));
    JsonObject reply = request(Addresses.COMPACTOR_SUMMARIZE, summarizeBody("main", "portal:chat:main:s1", slice()))
        .await(30, TimeUnit.SECONDS);

    assertThat(reply.getString("summary")).isEqualTo(
        "- Alice asked for the Q3 report for Bob by Friday; the agent promised it.\n- Bob: budget is 42000 EUR.");
    RecordedRequest sent = model.lastRequest();
    assertThat(sent.model()).isEqualTo("scripted");
    assertThat(sent.toolNames()).isEmpty();
    assertThat(sent.messages()).hasSize(2);
    assertThat(sent.messagesWithRole("system")).singleElement()
        .satisfies(m -> assertThat(m.getString("content")).isEqualTo(Prompts.load("compactor.md").strip()));
    assertThat(sent.messagesWithRole("tool")).isEmpty();
    assertThat(sent.lastUserText())
        .contains("User: [alice] Can you send the Q3 report to Bob by Friday?")
        .contains("Assistant called tool reply({\"content\":\"I'll have it by Friday.\"})")
        .contains("Tool result (reply): sent")
        .contains("User: [bob] Thanks, budget is 42000 EUR.");
  }

  @Test
  void oneSummarisationPerChannelAtATime() throws Exception {
    String channel = "portal:chat:main:inflight";
    assertThat(check(channel, 0.81)).satisfies(d -> {
      assertThat(d.action()).isEqualTo(CompactionDecision.SUMMARIZE);
      assertThat(d.fraction()).isEqualTo(0.30);
    });
    model.enqueue(ModelStep.text("held summary").delayed(Duration.ofSeconds(3)));
    Future<JsonObject> summary = request(Addresses.COMPACTOR_SUMMARIZE, summarizeBody("main", channel, slice()));
    model.awaitRequests(1, Duration.ofSeconds(10));

    assertThat(summary.isComplete()).as("the model step is still held").isFalse();
    assertThat(check(channel, 0.81).action()).isEqualTo(CompactionDecision.NONE);
    assertThat(check(channel, 0.90).action()).isEqualTo(CompactionDecision.NONE);
    assertThat(check(channel, 0.96)).satisfies(d -> {
      assertThat(d.action()).isEqualTo(CompactionDecision.EMERGENCY);
      assertThat(d.fraction()).isEqualTo(0.50);
    });
    assertThat(check("portal:chat:main:other", 0.81).action()).as("other channels are not held back")
        .isEqualTo(CompactionDecision.SUMMARIZE);

    assertThat(summary.await(30, TimeUnit.SECONDS).getString("summary")).isEqualTo("held summary");
    assertThat(check(channel, 0.81).action()).as("free again once the summary is back")
        .isEqualTo(CompactionDecision.SUMMARIZE);
    request(Addresses.COMPACTOR_SUMMARIZE, summarizeBody("main", channel, slice())).await(30, TimeUnit.SECONDS);
    request(Addresses.COMPACTOR_SUMMARIZE, summarizeBody("main", "portal:chat:main:other", slice()))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  void belowTheThresholdNothingHappens() throws Exception {
    CompactionDecision d = check("portal:chat:main:quiet", 0.50);
    assertThat(d.action()).isEqualTo(CompactionDecision.NONE);
    assertThat(d.usage()).isEqualTo(0.50);
  }

  @Test
  void aModelErrorFailsWith502AndFreesTheChannel() throws Exception {
    String channel = "portal:chat:main:broken";
    model.respondWith(r -> ModelStep.error(500, "the model is on fire"));
    assertThat(check(channel, 0.86).action()).isEqualTo(CompactionDecision.SUMMARIZE);

    ReplyException err = failure(request(Addresses.COMPACTOR_SUMMARIZE, summarizeBody("main", channel, slice())));
    assertThat(err.failureCode()).isEqualTo(502);
    // Retried like every model call (3 attempts), then reported with the provider's words.
    assertThat(err.getMessage()).startsWith("the compactor model call failed (HTTP 500)").contains("the model is on fire")
        .contains("after 3 attempts");
    assertThat(check(channel, 0.86).action()).isEqualTo(CompactionDecision.SUMMARIZE);
    model.respondWith(r -> ModelStep.text("ok"));
    request(Addresses.COMPACTOR_SUMMARIZE, summarizeBody("main", channel, slice())).await(30, TimeUnit.SECONDS);
  }

  @Test
  void badRequestsFailWith400() throws Exception {
    ReplyException unknownAgent = failure(request(Addresses.COMPACTOR_SUMMARIZE, summarizeBody("nobody", "c", slice())));
    assertThat(unknownAgent.failureCode()).isEqualTo(400);
    assertThat(unknownAgent.getMessage()).contains("nobody");

    ReplyException noMessages = failure(request(Addresses.COMPACTOR_SUMMARIZE,
        new JsonObject().put("agent_id", "main").put("channel_id", "c")));
    assertThat(noMessages.failureCode()).isEqualTo(400);
    assertThat(noMessages.getMessage()).contains("messages");

    ReplyException garbage = failure(request(Addresses.COMPACTOR_SUMMARIZE,
        new JsonObject().put("agent_id", "main").put("channel_id", "c").put("messages", new JsonArray().add("nope"))));
    assertThat(garbage.failureCode()).isEqualTo(400);

    ReplyException noChannel = failure(request(Addresses.COMPACTOR_CHECK, new JsonObject().put("agent_id", "main")));
    assertThat(noChannel.failureCode()).isEqualTo(400);
    assertThat(model.requestCount()).isZero();
  }
}
