package ai.spacebot.config;

import java.util.Map;

/** The configured providers (only those with credentials or an endpoint) and request limits. */
public record LlmConfig(Map<String, ProviderConfig> providers, int timeoutSeconds) {}
