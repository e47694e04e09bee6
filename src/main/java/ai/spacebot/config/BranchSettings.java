package ai.spacebot.config;

/**
 * Branch process limits.
 *
 * @param maxConcurrent branches running at once per channel; the next {@code branch} call gets a limit error
 * @param maxTurns model calls one branch may make
 * @param timeoutSeconds wall clock for one branch
 */
public record BranchSettings(int maxConcurrent, int maxTurns, int timeoutSeconds) {}
