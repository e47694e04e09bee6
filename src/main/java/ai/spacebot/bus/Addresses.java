package ai.spacebot.bus;

/** The event-bus addresses; see {@code package-info.java} for who sends what. */
public final class Addresses {
  public static final String INBOUND = "spacebot.inbound";
  public static final String EVENTS = "spacebot.events";
  public static final String HISTORY = "spacebot.transcript.history";
  public static final String CHANNEL_STATUS = "spacebot.channel.status";

  /** Memory service (request/reply, JSON in and out; failure code 400 = bad input). */
  public static final String MEMORY_SAVE = "spacebot.memory.save";
  public static final String MEMORY_GET = "spacebot.memory.get";
  public static final String MEMORY_LIST = "spacebot.memory.list";
  public static final String MEMORY_SEARCH = "spacebot.memory.search";
  public static final String MEMORY_FORGET = "spacebot.memory.forget";
  public static final String MEMORY_GRAPH = "spacebot.memory.graph";
  public static final String MEMORY_IMPORT = "spacebot.memory.import";
  /** Request {agent_id, progress_address}; {done, total} updates are sent to progress_address. */
  public static final String MEMORY_REINDEX = "spacebot.memory.reindex";
  /** Request {agent_id, passes: [decay, prune, merge, associate]}; replies with what each pass did. */
  public static final String MEMORY_MAINTAIN = "spacebot.memory.maintain";

  /** Where one long memory operation reports its progress. */
  public static String memoryProgress(String operationId) {
    return "spacebot.memory.progress." + operationId;
  }

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
