package ai.spacebot.messaging.format;

/**
 * The markup a platform renders. {@code PLAIN} keeps line breaks; {@code PLAIN_LINE} is plain text on one line, for
 * platforms whose messages cannot hold a line break (IRC, Twitch chat): lines and paragraphs are joined by a space.
 */
public enum Dialect { TELEGRAM_HTML, DISCORD, SLACK_MRKDWN, PLAIN, PLAIN_LINE }
