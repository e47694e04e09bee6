package ai.spacebot.config;

/**
 * The supervisor's schedule.
 *
 * @param tickSeconds how often timeouts and stuck processes are checked
 * @param stuckAfterSeconds a branch or worker with no progress (tool call, status, model output) this long is cancelled
 * @param maintenanceIntervalSeconds decay, prune and merge of memories
 * @param associationIntervalSeconds the memory association pass
 * @param failureLimit maintenance failures in a row before it pauses
 * @param pauseSeconds how long maintenance pauses after {@code failureLimit} failures
 */
public record CortexSettings(int tickSeconds, int stuckAfterSeconds, int maintenanceIntervalSeconds,
    int associationIntervalSeconds, int failureLimit, int pauseSeconds) {}
