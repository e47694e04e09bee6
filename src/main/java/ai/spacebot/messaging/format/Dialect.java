package ai.spacebot.messaging.format;

/** The markup a platform renders. */
public enum Dialect { TELEGRAM_HTML, DISCORD, SLACK_MRKDWN, PLAIN }
