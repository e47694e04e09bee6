package ai.spacebot.bus;

/** The event-bus addresses; see {@code package-info.java} for who sends what. */
public final class Addresses {
  public static final String INBOUND = "spacebot.inbound";
  public static final String EVENTS = "spacebot.events";
  public static final String HISTORY = "spacebot.transcript.history";
  public static final String CHANNEL_STATUS = "spacebot.channel.status";

  /** Reply failure code an adapter uses for an error that retrying cannot fix (bad target, 4xx). */
  public static final int PERMANENT_FAILURE = 400;

  private Addresses() {}

  public static String channelShard(int shard) {
    return "spacebot.channel.shard." + shard;
  }

  public static String outbound(String platform) {
    return "spacebot.outbound." + platform;
  }
}
