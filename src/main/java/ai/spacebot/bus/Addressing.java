package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * How an inbound message reached the agent, as its adapter and the matching binding saw it. The channel
 * decides from this (and the conversation's own mode, set by {@code /active} and friends) whether the message
 * gets a turn or is only kept in the transcript.
 *
 * @param direct a private conversation (a DM): always answered, never coalesced, whatever the mode
 * @param mentionsBot the bot was @mentioned, or the message replies to one of the bot's messages
 * @param responseMode the binding's mode: {@link #ACTIVE}, {@link #OBSERVE} (keep only) or {@link #MENTION_ONLY}
 *     (a turn only for a command, a mention or a reply to the bot)
 * @param requireMention in {@link #ACTIVE} mode, group messages that do not mention the bot are kept, not answered
 * @param authority the sender is one of the binding's authority users: may use {@code /active}, {@code /model}, ...
 *     and cause every tool the agent's permissions grant to authority (the operator's web chat is authority)
 * @param allowed the sender is one of the binding's allowed users (or has an allowed role): the agent's
 *     {@code permissions.allowed} tools; neither flag: {@code permissions.everyone}
 */
public record Addressing(boolean direct, boolean mentionsBot, String responseMode, boolean requireMention,
    boolean authority, boolean allowed) {
  public static final String ACTIVE = "active";
  public static final String OBSERVE = "observe";
  public static final String MENTION_ONLY = "mention_only";

  /** The web chat and system messages: answered, and the person there operates the bot. */
  public static final Addressing DEFAULT = new Addressing(false, false, ACTIVE, false, true);

  public Addressing {
    responseMode = responseMode == null ? ACTIVE : responseMode;
  }

  public Addressing(boolean direct, boolean mentionsBot, String responseMode, boolean requireMention,
      boolean authority) {
    this(direct, mentionsBot, responseMode, requireMention, authority, false);
  }

  public static boolean isMode(String mode) {
    return ACTIVE.equals(mode) || OBSERVE.equals(mode) || MENTION_ONLY.equals(mode);
  }

  /**
   * Whether a message gets a turn. {@code conversationMode} (the conversation's own setting, or null) wins over
   * the binding's mode; a command is answered in every mode except observe, a DM always.
   */
  public boolean wantsTurn(String conversationMode, boolean isCommand) {
    if (direct) {
      return true;
    }
    String mode = conversationMode != null ? conversationMode : responseMode;
    return switch (mode) {
      case OBSERVE -> false;
      case MENTION_ONLY -> isCommand || mentionsBot;
      default -> isCommand || mentionsBot || !requireMention;
    };
  }

  public JsonObject toJson() {
    return new JsonObject().put("direct", direct).put("mentions_bot", mentionsBot).put("response_mode", responseMode)
        .put("require_mention", requireMention).put("authority", authority).put("allowed", allowed);
  }

  public static Addressing fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    return new Addressing(json.getBoolean("direct", false), json.getBoolean("mentions_bot", false),
        json.getString("response_mode", ACTIVE), json.getBoolean("require_mention", false),
        json.getBoolean("authority", false), json.getBoolean("allowed", false));
  }
}
