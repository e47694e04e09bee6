/**
 * Fallback chains for model calls: {@link ai.spacebot.llm.resilience.ResilientModel} is a drop-in
 * {@code StreamingChatModel} that retries transient failures (Resilience4j {@code Retry}, waits on Vert.x
 * timers, Retry-After honoured), skips models in cooldown ({@link ai.spacebot.llm.resilience.Cooldowns},
 * node-wide and published on {@code spacebot.llm.cooldown}) or with an open circuit breaker, falls back
 * to the next model of the chain, and records usage per call. Built by
 * {@link ai.spacebot.llm.resilience.ModelResilience}.
 */
package ai.spacebot.llm.resilience;
