package ai.spacebot.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips through LangChain4j's real OpenAI client, so the wire format is checked by a real parser. */
class ScriptedModelServerIT {

  private static final ToolSpecification REPLY_TOOL = ToolSpecification.builder()
      .name("reply").description("Send a reply to the user")
      .parameters(JsonObjectSchema.builder().addStringProperty("content").required("content").build())
      .build();

  private ScriptedModelServer server;

  @BeforeEach
  void start() {
    server = ScriptedModelServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiStreamingChatModel streaming() {
    return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test").modelName("mock").build();
  }

  private OpenAiChatModel blocking() {
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test").modelName("mock").maxRetries(0).build();
  }

  /** Collects streaming callbacks, which arrive on the HTTP client's threads. */
  private static final class Collector implements StreamingChatResponseHandler {
    final List<String> partials = new CopyOnWriteArrayList<>();
    final List<PartialToolCall> partialToolCalls = new CopyOnWriteArrayList<>();
    final List<CompleteToolCall> completeToolCalls = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override public void onPartialResponse(String text) { partials.add(text); }
    @Override public void onPartialToolCall(PartialToolCall call) { partialToolCalls.add(call); }
    @Override public void onCompleteToolCall(CompleteToolCall call) { completeToolCalls.add(call); }
    @Override public void onCompleteResponse(ChatResponse response) { done.complete(response); }
    @Override public void onError(Throwable error) { done.completeExceptionally(error); }

    ChatResponse response() throws Exception {
      return done.get(10, TimeUnit.SECONDS);
    }

    Throwable error() throws Exception {
      try {
        ChatResponse r = done.get(10, TimeUnit.SECONDS);
        throw new AssertionError("expected an error but got " + r);
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }
  }

  private static ChatRequest ask(String text, ToolSpecification... tools) {
    ChatRequest.Builder b = ChatRequest.builder().messages(UserMessage.from(text));
    if (tools.length > 0) b.toolSpecifications(tools);
    return b.build();
  }

  private static List<Throwable> chain(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) out.add(c);
    return out;
  }

  @Test
  void streamsTextChunks() throws Exception {
    server.enqueue(ModelStep.text("Hel", "lo, ", "world", "!"));
    Collector c = new Collector();
    streaming().chat(ask("hi"), c);

    ChatResponse response = c.response();
    assertThat(c.partials).containsExactly("Hel", "lo, ", "world", "!");
    assertThat(response.aiMessage().text()).isEqualTo("Hello, world!");
    assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
    assertThat(response.metadata().id()).isEqualTo("chatcmpl-1");
  }

  @Test
  void streamsToolCallInPieces() throws Exception {
    String args = "{\"content\":\"hello there, general\"}";
    server.enqueue(ModelStep.toolCall("reply", args));
    Collector c = new Collector();
    streaming().chat(ask("say hi", REPLY_TOOL), c);

    AiMessage ai = c.response().aiMessage();
    assertThat(ai.toolExecutionRequests()).hasSize(1);
    ToolExecutionRequest call = ai.toolExecutionRequests().get(0);
    assertThat(call.name()).isEqualTo("reply");
    assertThat(call.id()).startsWith("call_");
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(args));
    assertThat(c.partialToolCalls.size()).isGreaterThan(1);
    assertThat(c.completeToolCalls).singleElement()
        .satisfies(t -> assertThat(t.toolExecutionRequest().arguments()).isEqualTo(args));
  }

  @Test
  void streamsTextThenSeveralToolCalls() throws Exception {
    server.enqueue(ModelStep.textThenToolCall("Let me answer.", "reply", "{\"content\":\"a\"}"));
    server.enqueue(ModelStep.toolCalls(
        new ModelStep.ToolCall("reply", "{\"content\":\"first\"}"),
        new ModelStep.ToolCall("reply", "{\"content\":\"second\"}")));

    Collector first = new Collector();
    streaming().chat(ask("go", REPLY_TOOL), first);
    AiMessage ai = first.response().aiMessage();
    assertThat(ai.text()).isEqualTo("Let me answer.");
    assertThat(ai.toolExecutionRequests()).extracting(ToolExecutionRequest::name).containsExactly("reply");

    Collector second = new Collector();
    streaming().chat(ask("go", REPLY_TOOL), second);
    assertThat(second.response().aiMessage().toolExecutionRequests())
        .extracting(ToolExecutionRequest::arguments)
        .containsExactly("{\"content\":\"first\"}", "{\"content\":\"second\"}");
  }

  @Test
  void nonStreamingTextAndToolCall() {
    server.enqueue(ModelStep.text("plain ", "answer"), ModelStep.toolCall("reply", "{\"content\":\"x\"}"));
    OpenAiChatModel model = blocking();

    assertThat(model.chat("hi")).isEqualTo("plain answer");
    ChatResponse response = model.chat(ask("again", REPLY_TOOL));
    assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
        .satisfies(t -> assertThat(t.arguments()).isEqualTo("{\"content\":\"x\"}"));
    assertThat(response.tokenUsage().totalTokenCount()).isPositive();
    assertThat(server.requests()).extracting(RecordedRequest::streaming).containsExactly(false, false);
  }

  @Test
  void defaultResponderAnswersWhenScriptIsEmpty() {
    OpenAiChatModel model = blocking();
    assertThat(model.chat("anything")).isEqualTo("ok");

    server.respondWith(r -> ModelStep.text("echo: " + r.lastUserText()));
    assertThat(model.chat("ping")).isEqualTo("echo: ping");
  }

  @Test
  void rateLimitFailsStreamingCallWith429() throws Exception {
    server.enqueue(ModelStep.error(429, "Rate limit reached"));
    Collector c = new Collector();
    streaming().chat(ask("hi"), c);

    Throwable error = c.error();
    assertThat(chain(error)).anySatisfy(t -> assertThat(t).isInstanceOf(RateLimitException.class));
    assertThat(chain(error)).anySatisfy(t -> {
      assertThat(t).isInstanceOf(HttpException.class);
      assertThat(((HttpException) t).statusCode()).isEqualTo(429);
    });
  }

  @Test
  void serverErrorFailsNonStreamingCall() {
    server.enqueue(ModelStep.error(500, "boom"));
    assertThatThrownBy(() -> blocking().chat("hi"))
        .satisfies(e -> assertThat(chain(e)).anySatisfy(t -> assertThat(t).hasMessageContaining("boom")));
  }

  @Test
  void recordsRequests() throws Exception {
    server.enqueue(ModelStep.toolCall("reply", "{\"content\":\"done\"}"), ModelStep.text("bye"));
    OpenAiStreamingChatModel model = streaming();

    Collector first = new Collector();
    model.chat(ask("please reply", REPLY_TOOL), first);
    ToolExecutionRequest call = first.response().aiMessage().toolExecutionRequests().get(0);

    Collector second = new Collector();
    model.chat(ChatRequest.builder()
        .messages(UserMessage.from("please reply"), AiMessage.from(call), ToolExecutionResultMessage.from(call, "sent"))
        .toolSpecifications(REPLY_TOOL).build(), second);
    second.response();

    List<RecordedRequest> requests = server.awaitRequests(2, Duration.ofSeconds(5));
    RecordedRequest r1 = requests.get(0);
    assertThat(r1.index()).isEqualTo(1);
    assertThat(r1.lastUserText()).isEqualTo("please reply");
    assertThat(r1.toolNames()).containsExactly("reply");
    assertThat(r1.hasToolResult()).isFalse();
    assertThat(r1.streaming()).isTrue();
    assertThat(r1.model()).isEqualTo("mock");
    assertThat(r1.header("Authorization")).isEqualTo("Bearer test");
    assertThat(requests.get(1).hasToolResult()).isTrue();
    assertThat(requests.get(1).toolResults()).containsExactly("sent");
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.pendingSteps()).isZero();
  }

  @Test
  void streamingReportsUsageWhenAsked() throws Exception {
    server.enqueue(ModelStep.text("some words here"));
    Collector c = new Collector();
    streaming().chat(ask("count me"), c);
    ChatResponse response = c.response();

    // LangChain4j always asks for include_usage; the usage chunk is what fills tokenUsage().
    assertThat(server.lastRequest().body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(response.tokenUsage().inputTokenCount()).isPositive();
    assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    assertThat(response.finishReason()).hasToString("STOP");
  }

  @Test
  void hangTimesOutNonStreaming() {
    server.enqueue(ModelStep.hang());
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test")
        .modelName("mock").maxRetries(0).timeout(Duration.ofMillis(500)).build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> model.chat("hello?"))
        .satisfies(e -> assertThat(chain(e)).anySatisfy(t ->
            assertThat(t.getClass().getSimpleName()).contains("Timeout")));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void hangTimesOutStreaming() throws Exception {
    server.enqueue(ModelStep.hang());
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test")
        .modelName("mock").timeout(Duration.ofMillis(500)).build();
    Collector c = new Collector();
    model.chat(ask("hello?"), c);

    assertThat(chain(c.error())).anySatisfy(t -> assertThat(t.getClass().getSimpleName()).contains("Timeout"));
  }

  @Test
  void closeDropsHungConnections() throws Exception {
    server.enqueue(ModelStep.hang());
    CompletableFuture<HttpResponse<String>> call = HttpClient.newHttpClient().sendAsync(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    server.awaitRequests(1, Duration.ofSeconds(5));
    assertThat(call).isNotDone();

    server.close();
    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
  }

  @Test
  void clientLeavingMidStreamEndsTheRequest() throws Exception {
    server.enqueue(ModelStep.text("a", "b", "c", "d", "e", "f").withChunkDelay(Duration.ofMillis(200)));
    String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}";
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.startsWith("data: ")) { /* skip status and headers */ }
      assertThat(line).contains("\"content\":\"a\"");
    } // the "process" dies here, after the first chunk

    RecordedRequest r = server.awaitRequests(1, Duration.ofSeconds(1)).get(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!r.finished() && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(r.finished()).isTrue();
    assertThat(r.modelTime()).isLessThan(Duration.ofMillis(1000));
  }

  @Test
  void delaysAreCountedAsModelTime() throws Exception {
    server.enqueue(ModelStep.text("a", "b", "c").delayed(Duration.ofMillis(150)).withChunkDelay(Duration.ofMillis(50)));
    Collector c = new Collector();
    long start = System.nanoTime();
    streaming().chat(ask("slow"), c);
    assertThat(c.response().aiMessage().text()).isEqualTo("abc");
    long elapsed = System.nanoTime() - start;

    // 150 ms before the headers plus 50 ms between each of the 6 frames after the first.
    RecordedRequest r = server.requests().get(0);
    assertThat(r.finished()).isTrue();
    assertThat(r.modelTime()).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    assertThat(server.totalModelNanos()).isEqualTo(r.modelNanos()).isLessThanOrEqualTo(elapsed);
  }

  @Test
  void streamWireFormatMatchesOpenAi() throws Exception {
    server.enqueue(ModelStep.textThenToolCall("Hi", "reply", "{\"content\":\"0123456789\"}"));
    JsonObject body = new JsonObject().put("model", "gpt-x").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    HttpResponse<String> resp = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(resp.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    List<String> frames = List.of(resp.body().split("\n\n"));
    assertThat(frames).allSatisfy(f -> assertThat(f).startsWith("data: "));
    assertThat(frames.get(frames.size() - 1)).isEqualTo("data: [DONE]");
    List<JsonObject> chunks = frames.subList(0, frames.size() - 1).stream()
        .map(f -> new JsonObject(f.substring("data: ".length()))).toList();

    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.getString("id")).isEqualTo("chatcmpl-1");
      assertThat(c.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(c.getString("model")).isEqualTo("gpt-x");
      assertThat(c.getLong("created")).isPositive();
    });
    JsonObject first = chunks.get(0).getJsonArray("choices").getJsonObject(0);
    assertThat(first.getJsonObject("delta").encode()).isEqualTo("{\"role\":\"assistant\",\"content\":\"Hi\"}");
    assertThat(first.containsKey("finish_reason")).isTrue();
    assertThat(first.getValue("finish_reason")).isNull();

    JsonObject callStart = chunks.get(1).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
        .getJsonArray("tool_calls").getJsonObject(0);
    assertThat(callStart.getInteger("index")).isZero();
    assertThat(callStart.getString("id")).isEqualTo("call_1_0");
    assertThat(callStart.getString("type")).isEqualTo("function");
    assertThat(callStart.getJsonObject("function").encode()).isEqualTo("{\"name\":\"reply\",\"arguments\":\"\"}");
    // {"content":"0123456789"} is 24 chars: three argument pieces carrying only index and arguments.
    for (int i = 2; i <= 4; i++) {
      JsonObject piece = chunks.get(i).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
          .getJsonArray("tool_calls").getJsonObject(0);
      assertThat(piece.fieldNames()).containsExactlyInAnyOrder("index", "function");
      assertThat(piece.getJsonObject("function").fieldNames()).containsExactly("arguments");
    }
    JsonObject last = chunks.get(5).getJsonArray("choices").getJsonObject(0);
    assertThat(last.getJsonObject("delta").isEmpty()).isTrue();
    assertThat(last.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject usage = chunks.get(6);
    assertThat(usage.getJsonArray("choices").isEmpty()).isTrue();
    assertThat(usage.getJsonObject("usage").getInteger("total_tokens"))
        .isEqualTo(usage.getJsonObject("usage").getInteger("prompt_tokens") + usage.getJsonObject("usage").getInteger("completion_tokens"));
    assertThat(chunks).hasSize(7);
  }

  @Test
  void errorBodyIsOpenAiShaped() throws Exception {
    server.enqueue(ModelStep.error(401, "Incorrect API key provided"));
    HttpResponse<String> resp = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(401);
    JsonObject error = new JsonObject(resp.body()).getJsonObject("error");
    assertThat(error.getString("message")).isEqualTo("Incorrect API key provided");
    assertThat(error.getString("code")).isEqualTo("invalid_api_key");
  }

  @Test
  void servesModelList() throws Exception {
    HttpResponse<String> resp = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(resp.body()).getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo("mock");
  }

  @Test
  void handlesAThousandConcurrentStreams() throws Exception {
    server.respondWith(r -> ModelStep.text("reply to ", r.lastUserText()).delayed(Duration.ofMillis(100)));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int n = 1000;

    List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, n).mapToObj(i -> http.sendAsync(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                .put("model", "mock").put("stream", true)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "m" + i)))
                .encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString())).toList();
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    for (int i = 0; i < n; i++) {
      HttpResponse<String> resp = calls.get(i).get();
      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(resp.headers().firstValue("Content-Type")).hasValue("text/event-stream");
      assertThat(resp.body()).contains("\"content\":\"m" + i + "\"").endsWith("data: [DONE]\n\n");
    }
    assertThat(server.requestCount()).isEqualTo(n);
    assertThat(server.totalModelNanos()).isGreaterThanOrEqualTo(n * TimeUnit.MILLISECONDS.toNanos(100));
  }
}
