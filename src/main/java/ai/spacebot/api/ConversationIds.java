package ai.spacebot.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The conversation ids a client may name: the shapes the adapters produce. Anything else (control
 * characters, paths, markup, unbounded text) would only ever be stored and echoed back, so it is refused.
 */
final class ConversationIds {
  private static final Pattern TELEGRAM = Pattern.compile("telegram:-?\\d{1,20}(:\\d{1,10})?");
  private static final Pattern DISCORD = Pattern.compile("discord:(dm:\\d{1,20}|\\d{1,20}:\\d{1,20}(:\\d{1,20})?)");
  private static final Pattern WEBHOOK = Pattern.compile("webhook:[a-z0-9][a-z0-9_-]{0,63}:[A-Za-z0-9._:@+-]{1,200}");
  private static final Pattern SLACK = Pattern.compile("slack:[A-Z0-9]{2,32}:[A-Z0-9]{2,32}(:\\d{1,12}\\.\\d{1,8})?");
  private static final Pattern TWITCH = Pattern.compile("twitch:[a-z0-9_]{1,25}");
  private static final String PORTAL = "portal:chat:";
  static final String SHAPES = "portal:chat:{agent}:{session}, telegram:{chat}[:{topic}], "
      + "discord:{guild}:{channel}[:{thread}], discord:dm:{user}, slack:{team}:{channel}[:{thread_ts}], "
      + "twitch:{channel} or webhook:{webhook}:{conversation}";

  private ConversationIds() {}

  /**
   * @param agentId the agent the request is for; a portal conversation must be one of its own
   * @throws ApiError 400 naming {@code field} unless {@code value} has one of the known shapes
   */
  static String check(String value, String agentId, String field) {
    if (!known(value, agentId)) {
      // The value is not echoed: it may hold control characters or markup.
      throw ApiError.badRequest(field, field + " must be a conversation id of agent \"" + agentId + "\": " + SHAPES);
    }
    return value;
  }

  /**
   * For a request that names no agent: a conversation id of one of {@code agentIds}.
   *
   * @throws ApiError 400 naming {@code field} unless {@code value} has one of the known shapes
   */
  static String check(String value, List<String> agentIds, String field) {
    if (agentIds.stream().noneMatch(a -> known(value, a))) {
      throw ApiError.badRequest(field, field + " must be a conversation id of a configured agent: " + SHAPES);
    }
    return value;
  }

  private static boolean known(String value, String agentId) {
    return TELEGRAM.matcher(value).matches() || DISCORD.matcher(value).matches() || WEBHOOK.matcher(value).matches()
        || SLACK.matcher(value).matches() || TWITCH.matcher(value).matches()
        || (value.startsWith(PORTAL + agentId + ":")
            && PortalRequests.SESSION_ID.matcher(value.substring(PORTAL.length() + agentId.length() + 1)).matches());
  }
}
