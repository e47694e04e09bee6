package ai.spacebot.config;

/**
 * When and how much the Compactor trims a channel's history. Usage is estimated tokens / context window.
 *
 * @param contextWindow tokens the channel's model accepts
 * @param backgroundThreshold from this usage the oldest {@code backgroundFraction} is summarised in the background
 * @param aggressiveThreshold from this usage the oldest {@code aggressiveFraction} is summarised
 * @param emergencyThreshold from this usage the oldest {@code emergencyFraction} is dropped at once, no LLM call
 * @param forkReserve share of the window kept free for a branch's answer when history is forked
 * @param forkKeepLast messages at the end of a forked history that are always kept whole
 */
public record CompactionSettings(int contextWindow, double backgroundThreshold, double backgroundFraction,
    double aggressiveThreshold, double aggressiveFraction, double emergencyThreshold, double emergencyFraction,
    double forkReserve, int forkKeepLast) {}
