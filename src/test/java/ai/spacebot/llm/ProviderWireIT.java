package ai.spacebot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.LlmConfig;
import ai.spacebot.config.ProviderConfig;
import ai.spacebot.testkit.Aimock;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each provider kind as {@link ModelCatalog} builds it, over the real wire: aimock plays Anthropic, Ollama,
 * Gemini and Azure OpenAI; the scripted model server records what an OpenAI-compatible provider sends.
 * aimock must be installed ({@code scripts/install-test-peers.sh}); without it these tests fail.
 */
class ProviderWireIT {
  private static final String FIXTURES = """
      {"fixtures":[
        {"match":{"userMessage":"weather","hasToolResult":false},
         "response":{"toolCalls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}},
        {"match":{"userMessage":"weather","hasToolResult":true},"response":{"content":"It is sunny in Paris."}},
        {"match":{"userMessage":"hello"},"response":{"content":"Hello from the mock."}}
      ]}
      """;
  private static final ToolSpecification WEATHER = ToolSpecification.builder().name("get_weather")
      .description("Current weather of a city")
      .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

  private static Vertx vertx;
  private static Aimock aimock;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    aimock = Aimock.start(FIXTURES);
  }

  @AfterAll
  static void stop() {
    if (aimock != null) {
      aimock.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static ModelCatalog catalog(ProviderConfig... providers) {
    Map<String, ProviderConfig> map = new LinkedHashMap<>();
    for (ProviderConfig p : providers) {
      map.put(p.id(), p);
    }
    return new ModelCatalog(vertx, new LlmConfig(map, 30));
  }

  private record Streamed(ChatResponse response, String partialText) {}

  private static Streamed stream(StreamingChatModel model, List<ChatMessage> messages) throws Exception {
    return stream(model, messages, true);
  }

  private static Streamed stream(StreamingChatModel model, List<ChatMessage> messages, boolean tools) throws Exception {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    ChatRequest.Builder request = ChatRequest.builder().messages(messages);
    if (tools) {
      request.toolSpecifications(WEATHER);
    }
    model.chat(request.build(), new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String text) {
        synchronized (partial) {
          partial.append(text);
        }
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    ChatResponse response = done.get(30, TimeUnit.SECONDS);
    synchronized (partial) {
      return new Streamed(response, partial.toString());
    }
  }

  private static ProviderConfig aimockProvider(String kind) {
    return switch (kind) {
      case "anthropic" -> new ProviderConfig("p", kind, "anthropic-key", aimock.url("/v1/"), null);
      case "ollama" -> new ProviderConfig("p", kind, null, aimock.url(""), null);
      case "gemini" -> new ProviderConfig("p", kind, "gemini-key", aimock.url("/v1beta"), null);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /**
   * Not gemini: LangChain4j 1.11.0 sends Gemini's {@code tools} as one object (Google's API accepts that for
   * a repeated field), and aimock 1.43.0 refuses any request whose {@code tools} is not an array
   * ("Invalid argument: tools must be an array"), so a Gemini request with tools cannot be played here.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"anthropic", "ollama"})
  void streamsAToolCallThenTheAnswer(String kind) throws Exception {
    StreamingChatModel model = catalog(aimockProvider(kind)).streaming("p/test-model").orElseThrow();
    List<ChatMessage> messages = new ArrayList<>(List.of(UserMessage.from("What is the weather in Paris?")));

    Streamed first = stream(model, messages);
    AiMessage call = first.response().aiMessage();
    assertThat(call.hasToolExecutionRequests()).as("a tool call from " + kind).isTrue();
    ToolExecutionRequest request = call.toolExecutionRequests().get(0);
    assertThat(request.name()).isEqualTo("get_weather");
    assertThat(new JsonObject(request.arguments()).getString("city")).isEqualTo("Paris");

    messages.add(call);
    messages.add(ToolExecutionResultMessage.from(request, "sunny, 21 degrees"));
    Streamed second = stream(model, messages);
    assertThat(second.response().aiMessage().text()).isEqualTo("It is sunny in Paris.");
    assertThat(second.partialText()).as("streamed in parts").isEqualTo("It is sunny in Paris.");
    assertThat(second.response().aiMessage().hasToolExecutionRequests()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"anthropic", "ollama", "gemini"})
  void streamsAPlainAnswer(String kind) throws Exception {
    StreamingChatModel model = catalog(aimockProvider(kind)).streaming("p/test-model").orElseThrow();
    // Without tools, so that gemini can be played (see above).
    Streamed answer = stream(model, List.of(UserMessage.from("hello there")), false);
    assertThat(answer.response().aiMessage().text()).isEqualTo("Hello from the mock.");
    assertThat(answer.partialText()).isEqualTo("Hello from the mock.");
  }

  @Test
  void openAiProviderSendsItsConfiguredHeaders() throws Exception {
    try (ScriptedModelServer server = ScriptedModelServer.start()) {
      server.enqueue(ModelStep.text("hi"));
      ProviderConfig gateway = new ProviderConfig("gw", "openai", "gw-key", server.baseUrl(), null,
          Map.of("X-Team", "research", "X-Gateway-Token", "tok-123"), null);
      Streamed answer = stream(catalog(gateway).streaming("gw/some-model").orElseThrow(), List.of(UserMessage.from("hi")));
      assertThat(answer.response().aiMessage().text()).isEqualTo("hi");
      RecordedRequest req = server.lastRequest();
      assertThat(req.uri()).isEqualTo("/v1/chat/completions");
      assertThat(req.header("X-Team")).isEqualTo("research");
      assertThat(req.header("X-Gateway-Token")).isEqualTo("tok-123");
      assertThat(req.header("Authorization")).isEqualTo("Bearer gw-key");
      assertThat(req.model()).isEqualTo("some-model");
    }
  }

  @Test
  void headersReplaceTheClientsOwnAndWorkWithoutAKey() throws Exception {
    try (ScriptedModelServer server = ScriptedModelServer.start()) {
      server.enqueue(ModelStep.text("hi"));
      ProviderConfig gateway = new ProviderConfig("gw", "openai", null, server.baseUrl(), null,
          Map.of("authorization", "Token abc", "User-Agent", "spacebot-test"), null);
      stream(catalog(gateway).streaming("gw/m").orElseThrow(), List.of(UserMessage.from("hi")));
      RecordedRequest req = server.lastRequest();
      assertThat(req.headers().getAll("Authorization")).containsExactly("Token abc");
      assertThat(req.headers().getAll("User-Agent")).containsExactly("spacebot-test");
    }
  }

  @Test
  void azureWithApiVersionUsesTheDeploymentPath() throws Exception {
    try (ScriptedModelServer server = ScriptedModelServer.start()) {
      server.enqueue(ModelStep.text("hi from azure"));
      String endpoint = "http://127.0.0.1:" + server.port() + "/";
      ProviderConfig azure = new ProviderConfig("az", "azure-openai", "az-secret", endpoint, null,
          Map.of("X-Team", "research"), "2024-10-21");
      Streamed answer = stream(catalog(azure).streaming("az/my gpt-4o").orElseThrow(), List.of(UserMessage.from("hi")));
      assertThat(answer.response().aiMessage().text()).isEqualTo("hi from azure");
      RecordedRequest req = server.lastRequest();
      assertThat(req.uri()).isEqualTo("/openai/deployments/my%20gpt-4o/chat/completions?api-version=2024-10-21");
      assertThat(req.header("api-key")).isEqualTo("az-secret");
      assertThat(req.header("Authorization")).isNull();
      assertThat(req.header("X-Team")).isEqualTo("research");
    }
  }

  @Test
  void azureWithoutApiVersionUsesTheV1Api() throws Exception {
    try (ScriptedModelServer server = ScriptedModelServer.start()) {
      server.enqueue(ModelStep.text("hi from v1"));
      ProviderConfig azure = new ProviderConfig("az", "azure-openai", "az-secret",
          "http://127.0.0.1:" + server.port() + "/openai/v1/", null);
      Streamed answer = stream(catalog(azure).streaming("az/my-deployment").orElseThrow(), List.of(UserMessage.from("hi")));
      assertThat(answer.response().aiMessage().text()).isEqualTo("hi from v1");
      RecordedRequest req = server.lastRequest();
      assertThat(req.uri()).isEqualTo("/openai/v1/chat/completions");
      assertThat(req.header("api-key")).isEqualTo("az-secret");
      assertThat(req.header("Authorization")).isNull();
      assertThat(req.model()).isEqualTo("my-deployment");
    }
  }

  @Test
  void azureAgainstAimocksAzureEndpoint() throws Exception {
    ProviderConfig azure = new ProviderConfig("az", "azure-openai", "az-secret", aimock.url(""), null, Map.of(), "2024-10-21");
    Streamed answer = stream(catalog(azure).streaming("az/dep-1").orElseThrow(), List.of(UserMessage.from("hello")));
    assertThat(answer.response().aiMessage().text()).isEqualTo("Hello from the mock.");
    JsonArray journal = aimock.journal();
    JsonObject entry = journal.stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("path", "").startsWith("/openai/deployments/dep-1/")).findFirst().orElseThrow();
    assertThat(entry.getString("path")).isEqualTo("/openai/deployments/dep-1/chat/completions?api-version=2024-10-21");
    assertThat(entry.getJsonObject("headers").containsKey("api-key")).isTrue(); // aimock redacts the value
    assertThat(entry.getJsonObject("headers").containsKey("authorization")).isFalse();
  }
}
