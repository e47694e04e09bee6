package ai.spacebot.config;

/**
 * Channel process limits.
 *
 * @param maxTurns model calls per incoming message before the turn is ended
 * @param historyLimit messages loaded from the transcript when a channel is (re)created
 */
public record ChannelSettings(int maxTurns, int historyLimit) {}
