package ai.spacebot.messaging;

import ai.spacebot.messaging.format.Dialect;

/**
 * What a platform can show, so the rest of the system asks nothing of an adapter it cannot do.
 *
 * @param maxMessageLength characters per message; longer replies are split ({@code MessageFormatter})
 * @param typingIntervalMillis how often "typing…" must be re-sent to stay visible (0: no typing indicator)
 * @param rich cards, buttons and polls rendered natively (otherwise as text)
 */
public record Capabilities(int maxMessageLength, Dialect dialect, long typingIntervalMillis, boolean reactions,
    boolean threads, boolean files, boolean edits, boolean rich) {}
