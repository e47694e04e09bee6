package ai.spacebot.config;

import java.util.Map;

/**
 * One LLM provider.
 *
 * @param kind the wire protocol: {@code openai} (and any OpenAI-compatible endpoint), {@code azure-openai},
 *     {@code anthropic}, {@code ollama}, {@code gemini}
 * @param apiKey null when the kind needs none (ollama) or the endpoint authenticates through {@code headers}
 * @param baseUrl null for the provider's public endpoint; for {@code azure-openai} the resource endpoint
 * @param defaultModel used for every process slot when nothing else picks a model
 * @param headers sent on every request to this provider, replacing a header of the same name the client
 *     would send; values may be secrets
 * @param apiVersion {@code azure-openai} only: the {@code api-version} query parameter, or null for
 *     Azure's version-less {@code /openai/v1} API
 */
public record ProviderConfig(String id, String kind, String apiKey, String baseUrl, String defaultModel,
    Map<String, String> headers, String apiVersion) {
  public ProviderConfig {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public ProviderConfig(String id, String kind, String apiKey, String baseUrl, String defaultModel) {
    this(id, kind, apiKey, baseUrl, defaultModel, Map.of(), null);
  }

  @Override
  public String toString() {
    // Never print the key or header values (they are often credentials); names are fine.
    return "ProviderConfig[id=" + id + ", kind=" + kind + ", baseUrl=" + baseUrl + ", defaultModel=" + defaultModel
        + (headers.isEmpty() ? "" : ", headers=" + new java.util.TreeSet<>(headers.keySet()))
        + (apiVersion == null ? "" : ", apiVersion=" + apiVersion) + "]";
  }
}
