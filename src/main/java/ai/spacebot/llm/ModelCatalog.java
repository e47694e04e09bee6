package ai.spacebot.llm;

import ai.spacebot.config.LlmConfig;
import ai.spacebot.config.ProviderConfig;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds LangChain4j streaming chat models from {@code provider/model} ids, once per id. The models
 * are thread-safe and do their I/O on their own HTTP client threads.
 */
public final class ModelCatalog {
  private final LlmConfig config;
  private final Vertx vertx;
  private final Map<String, StreamingChatModel> models = new ConcurrentHashMap<>();

  public ModelCatalog(Vertx vertx, LlmConfig config) {
    this.vertx = vertx;
    this.config = config;
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
    ProviderConfig provider = config.providers().get(modelId.substring(0, slash));
    if (provider == null) {
      return Optional.empty();
    }
    return Optional.of(models.computeIfAbsent(modelId, id -> build(provider, id.substring(slash + 1))));
  }

  private VertxLlmHttpClient.Builder http(Duration timeout) {
    return new VertxLlmHttpClient.Builder(vertx).readTimeout(timeout);
  }

  private StreamingChatModel build(ProviderConfig p, String model) {
    Duration timeout = timeout();
    return switch (p.kind()) {
      case "anthropic" -> {
        var b = AnthropicStreamingChatModel.builder().apiKey(p.apiKey()).modelName(model).timeout(timeout).maxTokens(4096)
            .httpClientBuilder(http(timeout));
        if (p.baseUrl() != null) {
          b.baseUrl(p.baseUrl());
        }
        yield b.build();
      }
      case "ollama" -> OllamaStreamingChatModel.builder().baseUrl(p.baseUrl()).modelName(model).timeout(timeout).build();
      default -> {
        var b = OpenAiStreamingChatModel.builder().apiKey(p.apiKey()).modelName(model).timeout(timeout)
            .httpClientBuilder(http(timeout));
        if (p.baseUrl() != null) {
          b.baseUrl(p.baseUrl());
        }
        yield b.build();
      }
    };
  }
}
