package ai.spacebot.config;

/**
 * The SSE event stream.
 *
 * @param replayBuffer events kept for {@code Last-Event-ID} resumption
 * @param clientBuffer events queued for one slow client before it is told it {@code lagged}
 */
public record EventsConfig(int replayBuffer, int clientBuffer, int pingSeconds) {}
