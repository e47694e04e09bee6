package ai.spacebot.config;

/**
 * The SSE event stream.
 *
 * @param replayBuffer events kept for {@code Last-Event-ID} resumption
 * @param clientBuffer events queued for one slow client before it is told it {@code lagged}
 * @param clientBufferBytes bytes one client may have pending (queued here and in the connection's write
 *     queue) before it is disconnected; it can resume with {@code Last-Event-ID}
 */
public record EventsConfig(int replayBuffer, int clientBuffer, int pingSeconds, long clientBufferBytes) {

  public EventsConfig(int replayBuffer, int clientBuffer, int pingSeconds) {
    this(replayBuffer, clientBuffer, pingSeconds, 1024 * 1024);
  }
}
