package ai.spacebot.branch;

import static ai.spacebot.tools.ToolArguments.optionalString;

import ai.spacebot.bus.Addresses;
import ai.spacebot.tools.BusCall;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import ai.spacebot.tools.ToolSpecs;
import dev.langchain4j.agent.tool.ToolSpecification;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code channel_recall}: searches this conversation's whole transcript, further back than the fork. */
record ChannelRecallTool(EventBus bus, String channelId) implements Tool {
  private static final ToolSpecification SPEC = ToolSpecs.of("channel_recall",
      "Search this conversation's full transcript for messages containing all the given words (newest first). "
          + "Without a query, returns the latest messages.",
      p -> p.addStringProperty("query", "Words to look for.").addIntegerProperty("limit", "At most this many (default 20)."));

  public ToolSpecification specification() {
    return SPEC;
  }

  public Future<ToolOutput> execute(JsonObject args) {
    Object limit = args.getValue("limit");
    int n = limit instanceof Number num ? Math.max(1, Math.min(100, num.intValue())) : 20;
    JsonObject body = new JsonObject().put("conversation_id", channelId).put("query", optionalString(args, "query"))
        .put("limit", n);
    return BusCall.request(bus, Addresses.TRANSCRIPT_SEARCH, body, reply -> {
      JsonArray messages = reply.getJsonArray("messages", new JsonArray());
      if (messages.isEmpty()) {
        return ToolOutput.ok("No messages found.");
      }
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = messages.getJsonObject(i);
        String who = "outbound".equals(m.getString("direction")) ? "you" : m.getString("sender_name", "someone");
        out.append('[').append(java.time.Instant.ofEpochMilli(m.getLong("created_at", 0L))).append("] ")
            .append(who).append(": ").append(m.getString("text")).append('\n');
      }
      return ToolOutput.ok(out.toString().strip());
    });
  }
}
