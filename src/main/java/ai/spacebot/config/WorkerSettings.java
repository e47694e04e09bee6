package ai.spacebot.config;

import java.util.List;

/**
 * Worker process limits and its sandbox.
 *
 * @param maxConcurrent workers running at once per channel
 * @param segmentTurns model calls per segment
 * @param maxSegments segments before the worker stops with outcome Partial
 * @param timeoutSeconds wall clock for one worker
 * @param shellTimeoutSeconds default timeout of one {@code shell} command
 * @param shellMaxTimeoutSeconds the most a {@code shell} call may ask for
 * @param outputCapBytes shell output kept for the model; the rest is cut with a note
 * @param envPassthrough environment variables passed to {@code shell} besides PATH, HOME and TMPDIR
 * @param compactThreshold share of the context window above which a worker drops older work before a segment
 * @param compactFraction share of its work (oldest first) a worker drops then
 * @param overflowFraction share dropped after a provider's context-overflow refusal, before the one retry
 * @param sandbox how shell commands are contained
 */
public record WorkerSettings(int maxConcurrent, int segmentTurns, int maxSegments, int timeoutSeconds,
    int shellTimeoutSeconds, int shellMaxTimeoutSeconds, int outputCapBytes, List<String> envPassthrough,
    double compactThreshold, double compactFraction, double overflowFraction, SandboxSettings sandbox) {}
