package ai.spacebot.config;

import java.util.List;
import java.util.Map;

/**
 * The configured providers (only those with credentials or an endpoint), request limits, how failing
 * calls are retried and routed to fallbacks, and the price table.
 *
 * @param fallbacks model id → up to 3 models tried in order when it fails
 * @param prices USD per million tokens, by full {@code provider/model} id or by model name
 */
public record LlmConfig(Map<String, ProviderConfig> providers, int timeoutSeconds, Map<String, List<String>> fallbacks,
    ResilienceSettings resilience, Map<String, Price> prices, List<String> visionModels) {
  public LlmConfig(Map<String, ProviderConfig> providers, int timeoutSeconds) {
    this(providers, timeoutSeconds, Map.of(), ResilienceSettings.DEFAULTS, Map.of(), List.of());
  }

  /**
   * Whether a model takes images ({@code llm.vision_models}: ids, or patterns with {@code *}): an image someone
   * sends is then shown to it, not only named.
   */
  public boolean takesImages(String modelId) {
    if (modelId == null) {
      return false;
    }
    for (String pattern : visionModels) {
      if (java.util.regex.Pattern.matches(("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"), modelId)) {
        return true;
      }
    }
    return false;
  }

  /** The price of a model: its full id first, then its name without the provider, else null. */
  public Price price(String modelId) {
    Price exact = prices.get(modelId);
    if (exact != null || modelId == null) {
      return exact;
    }
    int slash = modelId.indexOf('/');
    return slash < 0 ? null : prices.get(modelId.substring(slash + 1));
  }

  /** USD per million tokens. */
  public record Price(double input, double output, double cachedInput) {
    public double cost(long inputTokens, long outputTokens, long cachedTokens) {
      long uncached = Math.max(0, inputTokens - cachedTokens);
      return (uncached * input + cachedTokens * cachedInput + outputTokens * output) / 1_000_000.0;
    }
  }
}
