package ai.spacebot.config;

/**
 * Channel process limits and timings.
 *
 * @param maxTurns model calls per incoming message before the turn is ended
 * @param historyLimit messages loaded from the transcript when a channel is (re)created
 * @param retriggerDebounceMs branch/worker results arriving within this long of each other share one turn
 * @param maxRetriggers re-trigger turns per real user message; later results only go into history
 * @param coalesceWindowMs in multi-user conversations the first message opens a window this long
 * @param coalesceMaxWaitMs a coalescing window never lasts past this long after its first message
 * @param rateLimit per sender and per conversation message limits
 */
public record ChannelSettings(int maxTurns, int historyLimit, int retriggerDebounceMs, int maxRetriggers,
    int coalesceWindowMs, int coalesceMaxWaitMs, RateLimitSettings rateLimit) {
  public ChannelSettings {
    rateLimit = rateLimit == null ? RateLimitSettings.NONE : rateLimit;
  }

  public ChannelSettings(int maxTurns, int historyLimit, int retriggerDebounceMs, int maxRetriggers,
      int coalesceWindowMs, int coalesceMaxWaitMs) {
    this(maxTurns, historyLimit, retriggerDebounceMs, maxRetriggers, coalesceWindowMs, coalesceMaxWaitMs, null);
  }
}
