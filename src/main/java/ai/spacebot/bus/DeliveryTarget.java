package ai.spacebot.bus;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a message is to go, written {@code adapter:target}: the one parser of that form, for the
 * {@code send_message_to_another_channel} tool and for cron jobs' delivery targets. Each form names exactly one
 * conversation, whose id the outbox routes by ({@link Addresses#outbound(String)} of its platform):
 * <ul>
 *   <li>{@code discord:{guild}:{channel}}, {@code discord:{guild}:{channel}:{thread}}, {@code discord:dm:{user}}
 *       (snowflakes)</li>
 *   <li>{@code slack:{team}:{channel}}, {@code slack:{team}:{channel}:{thread_ts}} (Slack's upper-case ids)</li>
 *   <li>{@code telegram:{chat}}, {@code telegram:{chat}:{topic}} (a forum topic; groups have negative ids)</li>
 *   <li>{@code twitch:{channel}} (the channel's login, case-insensitive)</li>
 *   <li>{@code portal:{session}} (a web-chat session of the sending agent), or the full
 *       {@code portal:chat:{agent}:{session}}</li>
 *   <li>{@code webhook:{id}:{conversation}}</li>
 * </ul>
 * Every conversation id an adapter produces parses as itself, so an id read from {@code GET /api/channels} is a
 * valid target too.
 *
 * @param platform the adapter: one of {@link #PLATFORMS}
 * @param space what contains the chat, as bindings compare it: the Discord guild, the Slack team, the webhook id;
 *     null elsewhere and for direct messages
 * @param chat the Telegram chat, Discord channel (or user, for a DM), Slack channel, Twitch channel, web-chat
 *     session or webhook conversation
 * @param thread the Discord thread, Slack thread timestamp or Telegram forum topic; null for none
 * @param direct a one-to-one conversation (Discord DM, Slack DM channel, Telegram private chat, web chat)
 * @param portalAgent for the full web-chat form, the agent named in it; null otherwise
 */
public record DeliveryTarget(String platform, String space, String chat, String thread, boolean direct,
    String portalAgent) {
  public static final List<String> PLATFORMS = List.of("discord", "slack", "telegram", "twitch", "portal", "webhook");
  public static final String FORMS = "discord:{guild}:{channel}[:{thread}], discord:dm:{user}, "
      + "slack:{team}:{channel}[:{thread_ts}], telegram:{chat}[:{topic}], twitch:{channel}, portal:{session}, "
      + "webhook:{id}:{conversation}";

  private static final Pattern SNOWFLAKE = Pattern.compile("\\d{1,20}");
  private static final Pattern TELEGRAM_CHAT = Pattern.compile("-?\\d{1,20}");
  private static final Pattern TELEGRAM_TOPIC = Pattern.compile("\\d{1,10}");
  private static final Pattern SLACK_TEAM = Pattern.compile("[TE][A-Z0-9]{2,20}");
  private static final Pattern SLACK_CHANNEL = Pattern.compile("[CDG][A-Z0-9]{2,20}");
  private static final Pattern SLACK_TS = Pattern.compile("\\d{1,12}\\.\\d{1,8}");
  private static final Pattern TWITCH_LOGIN = Pattern.compile("[a-z0-9_]{1,25}");
  private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
  private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern WEBHOOK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern WEBHOOK_CONVERSATION = Pattern.compile("[A-Za-z0-9._~@:+=#/-]{1,200}");

  /** A target that does not have one of the {@link #FORMS}; the message says which part is wrong and why. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  /**
   * @throws Invalid naming what is wrong: a missing adapter, an unknown one, the wrong number of parts, or a part
   *     that is not the shape that platform's ids have
   */
  public static DeliveryTarget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new Invalid("the target is empty; write it as adapter:target, one of " + FORMS);
    }
    String t = text.strip();
    if (t.length() > 300) {
      throw new Invalid("the target is " + t.length() + " characters long; targets are at most 300");
    }
    int colon = t.indexOf(':');
    if (colon < 0) {
      throw new Invalid("\"" + shown(t) + "\" names no adapter; write it as adapter:target, one of " + FORMS);
    }
    String platform = t.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = t.substring(colon + 1);
    return switch (platform) {
      case "discord" -> discord(rest);
      case "slack" -> slack(rest);
      case "telegram" -> telegram(rest);
      case "twitch" -> twitch(rest);
      case "portal" -> portal(rest);
      case "webhook" -> webhook(rest);
      default -> throw new Invalid("\"" + shown(platform) + "\" is not an adapter; adapters: "
          + String.join(", ", PLATFORMS));
    };
  }

  private static DeliveryTarget discord(String rest) {
    String[] p = rest.split(":", -1);
    if (p.length == 2 && p[0].equals("dm")) {
      need(SNOWFLAKE, p[1], "the Discord user id", "a number (a snowflake such as 123456789012345678)");
      return new DeliveryTarget("discord", null, p[1], null, true, null);
    }
    if (p.length != 2 && p.length != 3) {
      throw new Invalid("a Discord target is discord:{guild}:{channel}, discord:{guild}:{channel}:{thread} or "
          + "discord:dm:{user}; \"discord:" + shown(rest) + "\" has " + (p.length + 1) + " parts");
    }
    need(SNOWFLAKE, p[0], "the Discord guild id", "a number (a snowflake such as 123456789012345678)");
    need(SNOWFLAKE, p[1], "the Discord channel id", "a number (a snowflake such as 123456789012345678)");
    if (p.length == 3) {
      need(SNOWFLAKE, p[2], "the Discord thread id", "a number (a snowflake such as 123456789012345678)");
    }
    return new DeliveryTarget("discord", p[0], p[1], p.length == 3 ? p[2] : null, false, null);
  }

  private static DeliveryTarget slack(String rest) {
    String[] p = rest.split(":", -1);
    if (p.length != 2 && p.length != 3) {
      throw new Invalid("a Slack target is slack:{team}:{channel} or slack:{team}:{channel}:{thread_ts}; \"slack:"
          + shown(rest) + "\" has " + (p.length + 1) + " parts");
    }
    need(SLACK_TEAM, p[0], "the Slack team id", "T or E and then upper-case letters and digits, e.g. T0123ABCD");
    need(SLACK_CHANNEL, p[1], "the Slack channel id", "C, G or D and then upper-case letters and digits, e.g. C0123ABCD");
    if (p.length == 3) {
      need(SLACK_TS, p[2], "the Slack thread timestamp", "a message ts such as 1700000000.123456");
    }
    return new DeliveryTarget("slack", p[0], p[1], p.length == 3 ? p[2] : null, p[1].startsWith("D"), null);
  }

  private static DeliveryTarget telegram(String rest) {
    String[] p = rest.split(":", -1);
    if (p.length != 1 && p.length != 2) {
      throw new Invalid("a Telegram target is telegram:{chat} or telegram:{chat}:{topic}; \"telegram:" + shown(rest)
          + "\" has " + (p.length + 1) + " parts");
    }
    need(TELEGRAM_CHAT, p[0], "the Telegram chat id", "a number (groups and channels are negative, e.g. -1001234567890)");
    if (p.length == 2) {
      need(TELEGRAM_TOPIC, p[1], "the Telegram forum topic id", "a positive number");
    }
    // Telegram gives people positive ids and their private chats the same id; groups and channels are negative.
    return new DeliveryTarget("telegram", null, p[0], p.length == 2 ? p[1] : null, !p[0].startsWith("-"), null);
  }

  private static DeliveryTarget twitch(String rest) {
    String login = rest.startsWith("#") ? rest.substring(1) : rest;
    login = login.toLowerCase(Locale.ROOT);
    need(TWITCH_LOGIN, login, "the Twitch channel", "the channel's login: 1 to 25 letters, digits or _ (twitch:{channel})");
    return new DeliveryTarget("twitch", null, login, null, false, null);
  }

  private static DeliveryTarget portal(String rest) {
    String[] p = rest.split(":", -1);
    if (p.length == 3 && p[0].equals("chat")) {
      need(AGENT, p[1], "the agent id", "letters, digits, '.', '_' or '-'");
      need(SESSION, p[2], "the web-chat session id", "1 to 128 letters, digits, '.', '_', '~' or '-'");
      return new DeliveryTarget("portal", null, p[2], null, true, p[1]);
    }
    if (p.length != 1) {
      throw new Invalid("a web-chat target is portal:{session} (or its conversation id portal:chat:{agent}:{session}); "
          + "\"portal:" + shown(rest) + "\" is neither");
    }
    need(SESSION, p[0], "the web-chat session id", "1 to 128 letters, digits, '.', '_', '~' or '-'");
    return new DeliveryTarget("portal", null, p[0], null, true, null);
  }

  private static DeliveryTarget webhook(String rest) {
    int colon = rest.indexOf(':');
    if (colon < 0) {
      throw new Invalid("a webhook target is webhook:{id}:{conversation}; \"webhook:" + shown(rest)
          + "\" names no conversation");
    }
    String id = rest.substring(0, colon);
    String conversation = rest.substring(colon + 1);
    need(WEBHOOK_ID, id, "the webhook id", "1 to 64 letters, digits, '_' or '-'");
    need(WEBHOOK_CONVERSATION, conversation, "the webhook conversation",
        "1 to 200 letters, digits or . _ ~ @ : + = # / -, no spaces");
    return new DeliveryTarget("webhook", id, conversation, null, false, null);
  }

  private static void need(Pattern shape, String value, String what, String expected) {
    if (value.isEmpty()) {
      throw new Invalid(what + " is missing; it is " + expected);
    }
    if (!shape.matcher(value).matches()) {
      throw new Invalid(what + " \"" + shown(value) + "\" is not valid; it is " + expected);
    }
  }

  /** Targets come from models and config files: what is echoed back is cut short and printable. */
  private static String shown(String s) {
    String printable = s.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 60 ? printable.substring(0, 60) + "…" : printable;
  }

  /**
   * The conversation this target denotes, as the adapter and the transcript know it.
   *
   * @param agentId the agent that sends: a short web-chat target names a session of this agent
   */
  public String conversationId(String agentId) {
    return switch (platform) {
      case "discord" -> direct ? "discord:dm:" + chat
          : "discord:" + space + ":" + chat + (thread == null ? "" : ":" + thread);
      case "slack" -> "slack:" + space + ":" + chat + (thread == null ? "" : ":" + thread);
      case "telegram" -> "telegram:" + chat + (thread == null ? "" : ":" + thread);
      case "twitch" -> "twitch:" + chat;
      case "portal" -> "portal:chat:" + (portalAgent != null ? portalAgent : agentId) + ":" + chat;
      case "webhook" -> "webhook:" + space + ":" + chat;
      default -> throw new IllegalStateException("unknown platform " + platform);
    };
  }

  /** The short form, e.g. {@code portal:{session}} for a web-chat session. */
  @Override
  public String toString() {
    return "portal".equals(platform) && portalAgent == null ? "portal:" + chat : conversationId(portalAgent);
  }
}
