package ai.spacebot.llm;

import ai.spacebot.config.LlmConfig;
import ai.spacebot.config.ProviderConfig;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds LangChain4j streaming chat models from {@code provider/model} ids, once per id. The models
 * are thread-safe and do their I/O on their own HTTP client threads.
 */
public final class ModelCatalog {
  private volatile LlmConfig config;
  /** Provider id → the secret its credentials wait for (the secret store is locked). */
  private volatile Map<String, String> waiting = Map.of();
  private final Vertx vertx;
  private final Map<String, StreamingChatModel> models = new ConcurrentHashMap<>();
  private final LlmMetrics metrics;

  public ModelCatalog(Vertx vertx, LlmConfig config) {
    this(vertx, config, LlmMetrics.noop());
  }

  public ModelCatalog(Vertx vertx, LlmConfig config, LlmMetrics metrics) {
    CompactRequestJson.apply();
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
  }

  /** Where model calls report (calls, latency, tokens, cost, fallbacks, cooldowns). */
  public LlmMetrics metrics() {
    return metrics;
  }

  public Duration timeout() {
    return Duration.ofSeconds(config.timeoutSeconds());
  }

  /** The model for an id, or empty if the id is null or its provider is not configured. */
  public Optional<StreamingChatModel> streaming(String modelId) {
    if (modelId == null) {
      return Optional.empty();
    }
    int slash = modelId.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String providerId = modelId.substring(0, slash);
    ProviderConfig provider = config.providers().get(providerId);
    if (provider == null) {
      return Optional.empty();
    }
    if (waiting.containsKey(providerId)) {
      return Optional.of(new WaitingModel(this, modelId, providerId));
    }
    return Optional.of(models.computeIfAbsent(modelId, id -> build(provider, id.substring(slash + 1))));
  }

  /** The secret a provider waits for, or null. */
  String waitingFor(String providerId) {
    return waiting.get(providerId);
  }

  /**
   * New provider settings after the secret store was unlocked (or locked): models are built again from them, and
   * a waiting provider's models answer every call with an error that names the secret.
   *
   * @param waitingProviders provider id → secret name
   */
  public void useProviders(LlmConfig config, Map<String, String> waitingProviders) {
    this.config = config;
    this.waiting = Map.copyOf(waitingProviders);
    models.clear();
  }

  private VertxLlmHttpClient.Builder http(Duration timeout, Map<String, String> headers) {
    return new VertxLlmHttpClient.Builder(vertx).readTimeout(timeout).headers(headers);
  }

  /**
   * Every kind goes through our {@link VertxLlmHttpClient} (all of these LangChain4j modules take an
   * {@code httpClientBuilder}), which also adds the provider's configured headers to every request.
   */
  private StreamingChatModel build(ProviderConfig p, String model) {
    Duration timeout = timeout();
    return switch (p.kind()) {
      case "anthropic" -> {
        var b = AnthropicStreamingChatModel.builder().apiKey(p.apiKey()).modelName(model).timeout(timeout).maxTokens(4096)
            .httpClientBuilder(http(timeout, p.headers()));
        if (p.baseUrl() != null) {
          b.baseUrl(p.baseUrl());
        }
        yield b.build();
      }
      case "ollama" -> OllamaStreamingChatModel.builder().baseUrl(p.baseUrl()).modelName(model).timeout(timeout)
          .httpClientBuilder(http(timeout, p.headers())).build();
      case "gemini" -> {
        var b = GoogleAiGeminiStreamingChatModel.builder().apiKey(p.apiKey()).modelName(model).timeout(timeout)
            .httpClientBuilder(http(timeout, p.headers()));
        if (p.baseUrl() != null) {
          b.baseUrl(p.baseUrl());
        }
        yield b.build();
      }
      case "azure-openai" -> azure(p, model, timeout);
      default -> {
        var b = OpenAiStreamingChatModel.builder().apiKey(p.apiKey()).modelName(model).timeout(timeout)
            .httpClientBuilder(http(timeout, p.headers()));
        if (p.baseUrl() != null) {
          b.baseUrl(p.baseUrl());
        }
        yield b.build();
      }
    };
  }

  /**
   * Azure OpenAI through LangChain4j's OpenAI client; {@code model} is the deployment name. The key goes in
   * Azure's {@code api-key} header (no {@code Authorization}). With {@code api_version} the classic
   * deployment API is used, {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=V}
   * (the client's {@code customQueryParams}); without it, Azure's OpenAI-compatible v1 API,
   * {@code {endpoint}/openai/v1/chat/completions}, which takes no version and the deployment as the model.
   */
  private StreamingChatModel azure(ProviderConfig p, String deployment, Duration timeout) {
    String endpoint = azureEndpoint(p.baseUrl());
    Map<String, String> headers = new LinkedHashMap<>(p.headers());
    headers.put("api-key", p.apiKey());
    var b = OpenAiStreamingChatModel.builder().modelName(deployment).timeout(timeout)
        .httpClientBuilder(http(timeout, headers));
    if (p.apiVersion() != null) {
      b.baseUrl(endpoint + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8).replace("+", "%20"))
          .customQueryParams(Map.of("api-version", p.apiVersion()));
    } else {
      b.baseUrl(endpoint + "/openai/v1");
    }
    return b.build();
  }

  /** The resource endpoint without a trailing slash or an {@code /openai[/v1]} an operator may have pasted. */
  static String azureEndpoint(String baseUrl) {
    String url = baseUrl.replaceAll("/+$", "");
    for (String suffix : new String[] {"/openai/v1", "/openai"}) {
      if (url.endsWith(suffix)) {
        return url.substring(0, url.length() - suffix.length());
      }
    }
    return url;
  }
}
