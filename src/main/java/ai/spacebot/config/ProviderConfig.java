package ai.spacebot.config;

/**
 * One LLM provider.
 *
 * @param kind the wire protocol: {@code openai} (and any OpenAI-compatible endpoint), {@code anthropic},
 *     {@code ollama}
 * @param baseUrl null for the provider's public endpoint
 * @param defaultModel used for every process slot when nothing else picks a model
 */
public record ProviderConfig(String id, String kind, String apiKey, String baseUrl, String defaultModel) {
  @Override
  public String toString() {
    // Never print the key.
    return "ProviderConfig[id=" + id + ", kind=" + kind + ", baseUrl=" + baseUrl + ", defaultModel=" + defaultModel + "]";
  }
}
