package ai.spacebot.config;

/**
 * The HTTP API.
 *
 * @param authToken null when no token is required
 * @param maxMessageBytes largest accepted chat message text (UTF-8 bytes)
 * @param maxBodyBytes largest accepted request body
 */
public record ApiConfig(int port, String bind, String authToken, int maxMessageBytes, long maxBodyBytes) {}
