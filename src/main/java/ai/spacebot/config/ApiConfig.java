package ai.spacebot.config;

/**
 * The HTTP API.
 *
 * @param authToken null when no token is required
 * @param maxMessageBytes largest accepted chat message text (UTF-8 bytes)
 * @param maxBodyBytes largest accepted request body
 * @param idleTimeoutSeconds a connection with no bytes read or written for this long is closed; above
 *     {@code events.ping_seconds} so an idle event stream, kept busy by its pings, stays open
 * @param requestTimeoutMs a request whose line, headers and body have not all arrived this long after the
 *     connection opened (or after the previous response ended) closes the connection (slow-sending clients)
 * @param maxConnectionsPerAddress concurrent connections one client address may hold; more are closed at once
 * @param sessionTtlHours how long a web-chat visitor's session token is valid; the page renews it on each visit
 * @param sessionsPerAddressPerHour new web-chat sessions one client address may open per hour
 */
public record ApiConfig(int port, String bind, String authToken, int maxMessageBytes, long maxBodyBytes,
    int idleTimeoutSeconds, int requestTimeoutMs, int maxConnectionsPerAddress, int sessionTtlHours,
    int sessionsPerAddressPerHour) {

  /** The limits a test or an embedding caller gets when it names only the basics. */
  public ApiConfig(int port, String bind, String authToken, int maxMessageBytes, long maxBodyBytes) {
    this(port, bind, authToken, maxMessageBytes, maxBodyBytes, 60, 30_000, 256, 168, 30);
  }
}
