package ai.spacebot.channel;

import ai.spacebot.llm.Prompts;
import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.routing.ModelRouter;
import ai.spacebot.messaging.OutboxDispatcher;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.secrets.SecretScrubber;
import ai.spacebot.store.OutboxRepository;
import ai.spacebot.store.PendingDelivery;
import ai.spacebot.bus.MessageEdit;
import ai.spacebot.store.TranscriptMessage;
import ai.spacebot.store.TranscriptRepository;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Channel process. Each instance owns a shard of the conversations (by hash of the conversation
 * id), so one conversation is always handled on one event loop. Any instance takes intake from
 * {@link Addresses#INBOUND}: it stores the message (deduplicated), acknowledges, and hands it to the
 * owning shard. On start it resumes what a previous run left: unanswered messages and undelivered
 * replies.
 */
public final class ChannelVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ChannelVerticle.class);
  private static final long IDLE_EVICT_MS = 30 * 60 * 1000;
  /** Per node: live and busy channel counts per shard, for status and graceful stop. */
  public static final String STATS_MAP = "spacebot.channel.stats";

  private final SpacebotConfig config;
  private final TranscriptRepository transcript;
  private final OutboxRepository outbox;
  private final ModelRouter router;
  private final IdentityStore identities;
  private final int shard;
  private final Map<String, Channel> channels = new HashMap<>();
  private ChannelServices services;
  private int shards;
  private int busyChannels;
  private String inbox;

  public ChannelVerticle(SpacebotConfig config, TranscriptRepository transcript, OutboxRepository outbox,
      ModelRouter router, IdentityStore identities, int shard) {
    this.config = config;
    this.transcript = transcript;
    this.outbox = outbox;
    this.router = router;
    this.identities = identities;
    this.shard = shard;
  }

  @Override
  public Future<?> start() {
    shards = Math.max(1, context.getInstanceCount());
    EventPublisher events = new EventPublisher(vertx);
    SecretScrubber scrubber = SecretScrubber.of(vertx);
    services = new ChannelServices(config, transcript, router, identities, events,
        new OutboxDispatcher(vertx, outbox, config.delivery()), Prompts.load("channel.md"), scrubber,
        new OutboundGuard(scrubber),
        new RateLimiter(config.channel().rateLimit().senderCapacity(), config.channel().rateLimit().senderPerMinute()));
    var bus = vertx.eventBus();
    List<Future<?>> registered = new ArrayList<>();
    registered.add(bus.<JsonObject>consumer(Addresses.INBOUND, this::intake).completion());
    registered.add(bus.<JsonObject>localConsumer(Addresses.channelShard(shard), m -> {
      InboundMessage in = InboundMessage.fromJson(m.body());
      if (in.attachments().isEmpty()) {
        route(in);
      } else {
        AttachmentText.expand(vertx, config.workspace(in.agentId()), in).onSuccess(p -> route(p.message(), p.images()));
      }
    }).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.INBOUND_EDIT, this::edit).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.HISTORY, this::history).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.CHANNEL_STATUS, m -> m.reply(stats())).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.TRANSCRIPT_SEARCH, this::search).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.CHANNEL_LIST, this::list).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.CHANNEL_MODEL, this::pinModel).completion());
    // Every shard hears it; the one that has the conversation open remembers what the agent said there.
    registered.add(bus.<JsonObject>consumer(Addresses.CHANNEL_SENT_ELSEWHERE, m -> {
      Channel channel = channels.get(m.body().getString("conversation_id"));
      if (channel != null && m.body().getString("text") != null) {
        channel.sentHereFromElsewhere(m.body().getString("text"));
      }
    }).completion());
    registered.add(bus.<JsonObject>localConsumer(Addresses.channelShardControl(shard), m -> {
      Channel channel = channels.get(m.body().getString("channel_id"));
      if (channel != null) {
        channel.setModelOverride(m.body().getString("model"));
      }
    }).completion());
    inbox = Addresses.channelInbox(context.deploymentID() + "." + shard);
    registered.add(bus.<JsonObject>consumer(inbox, this::report).completion());
    vertx.setPeriodic(60_000, id -> evictIdle());
    publishStats();
    return Future.all(registered).compose(v -> resume());
  }

  private void intake(Message<JsonObject> msg) {
    InboundMessage in;
    try {
      in = InboundMessage.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(400, "malformed inbound message");
      return;
    }
    if (in.id() == null || in.conversationId() == null || in.text() == null || config.agent(in.agentId()).isEmpty()) {
      msg.fail(400, "inbound message needs id, a known agent_id, conversation_id and text");
      return;
    }
    transcript.acceptInbound(in).onComplete(ar -> {
      if (ar.failed()) {
        log.error("[{}] Could not store inbound message", in.conversationId(), ar.cause());
        msg.fail(500, "could not store the message");
        return;
      }
      msg.reply(ar.result().toJson());
      if (!ar.result().duplicate()) {
        services.events().publish(new AgentEvent.InboundMessageEvent(in.agentId(), in.conversationId(), in.id(),
            in.senderId(), in.senderName(), in.text()));
        vertx.eventBus().send(Addresses.channelShard(shardOf(in.conversationId())), in.toJson());
      }
    });
  }

  /** A person edited or deleted a message: the transcript says so; no turn, no second reply. */
  private void edit(Message<JsonObject> msg) {
    MessageEdit edit;
    try {
      edit = MessageEdit.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(400, "malformed message edit");
      return;
    }
    if (edit.conversationId() == null || edit.platformMessageId() == null || (!edit.deleted() && edit.text() == null)) {
      msg.fail(400, "a message edit needs conversation_id, platform_message_id and text (or deleted)");
      return;
    }
    transcript.applyEdit(edit.conversationId(), edit.platformMessageId(), edit.text(), edit.deleted()).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("[{}] Could not apply an edit: {}", edit.conversationId(), ar.cause().getMessage());
        msg.fail(500, "could not store the edit");
        return;
      }
      msg.reply(new JsonObject().put("updated", ar.result()));
      if (ar.result()) {
        log.debug("[{}] Message {} {}", edit.conversationId(), edit.platformMessageId(),
            edit.deleted() ? "deleted" : "edited");
      }
    });
  }

  private void route(InboundMessage in) {
    route(in, List.of());
  }

  private void route(InboundMessage in, List<dev.langchain4j.data.message.ImageContent> images) {
    Channel channel = channels.get(in.conversationId());
    boolean opened = channel == null;
    if (opened) {
      channel = newChannel(in.conversationId(), in.agentId(), in.platform());
    }
    channel.showImages(in.id(), images);
    channel.enqueue(in);
    if (opened) {
      channel.open();
      publishStats();
    }
  }

  private Channel newChannel(String conversationId, String agentId, String platform) {
    AgentConfig agent = config.agent(agentId).orElseThrow();
    Channel channel = new Channel(conversationId, platform, agent, services, context, inbox, delta -> {
      busyChannels += delta;
      publishStats();
    });
    channels.put(conversationId, channel);
    return channel;
  }

  private void history(Message<JsonObject> msg) {
    String conversation = msg.body().getString("conversation_id");
    int limit = msg.body().getInteger("limit", 100);
    transcript.history(conversation, limit).onComplete(ar -> {
      if (ar.failed()) {
        msg.fail(500, "could not read the transcript");
      } else {
        msg.reply(new JsonObject().put("messages", new JsonArray(ar.result().stream().map(TranscriptMessage::toJson).toList())));
      }
    });
  }

  /** A branch's or worker's report for one of this shard's channels. */
  private void report(Message<JsonObject> msg) {
    ProcessReport report;
    try {
      report = ProcessReport.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(400, "malformed process report");
      return;
    }
    Channel channel = channels.get(report.channelId());
    if (channel == null) {
      // Evicted or never opened here (a restart): the result still belongs in the transcript.
      log.warn("[{}] Report from {} for a channel not open on this shard", report.channelId(), report.processId());
      msg.fail(404, "channel " + report.channelId() + " is not open");
      return;
    }
    channel.onReport(report, msg);
  }

  private void search(Message<JsonObject> msg) {
    String conversation = msg.body().getString("conversation_id");
    if (conversation == null) {
      msg.fail(400, "conversation_id is required");
      return;
    }
    transcript.search(conversation, msg.body().getString("query"), Math.max(1, Math.min(200, msg.body().getInteger("limit", 20))))
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("[{}] Transcript search failed: {}", conversation, ar.cause().getMessage());
            msg.fail(500, "could not search the transcript");
          } else {
            msg.reply(new JsonObject().put("messages", new JsonArray(ar.result().stream().map(TranscriptMessage::toJson).toList())));
          }
        });
  }

  /** Stores a conversation's model pin, then tells the shard that owns the conversation. */
  private void pinModel(Message<JsonObject> msg) {
    String conversation = msg.body().getString("channel_id");
    String agentId = msg.body().getString("agent_id");
    String model = msg.body().getString("model");
    if (conversation == null || agentId == null || config.agent(agentId).isEmpty()) {
      msg.fail(400, "channel_id and a known agent_id are required");
      return;
    }
    String platform = conversation.contains(":") ? conversation.substring(0, conversation.indexOf(':')) : conversation;
    transcript.setModelOverride(conversation, agentId, platform, model).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("[{}] Could not store the model pin: {}", conversation, ar.cause().getMessage());
        msg.fail(500, "could not store the model pin");
        return;
      }
      vertx.eventBus().send(Addresses.channelShardControl(shardOf(conversation)),
          new JsonObject().put("channel_id", conversation).put("model", model));
      msg.reply(new JsonObject().put("channel_id", conversation).put("model", model));
    });
  }

  private void list(Message<JsonObject> msg) {
    transcript.directory().conversations(msg.body().getString("agent_id"), Math.max(1, Math.min(1000, msg.body().getInteger("limit", 200))))
        .onComplete(ar -> {
          if (ar.failed()) {
            msg.fail(500, "could not list the conversations");
          } else {
            msg.reply(new JsonObject().put("channels", new JsonArray(ar.result())));
          }
        });
  }

  /** Re-runs messages a previous run accepted but never answered, and re-sends undelivered replies. */
  private Future<Void> resume() {
    Future<Void> unanswered = transcript.unanswered().map(messages -> {
      int mine = 0;
      for (InboundMessage m : messages) {
        if (shardOf(m.conversationId()) == shard && config.agent(m.agentId()).isPresent()) {
          route(m);
          mine++;
        }
      }
      if (mine > 0) {
        log.info("Resuming {} unanswered message(s) from before the restart", mine);
      }
      return null;
    }).compose(v -> transcript.conversationsWithPendingResults()).map(conversations -> {
      // Opening the channel is enough: it finds the results awaiting their turn and re-triggers.
      for (TranscriptRepository.PendingResults c : conversations) {
        if (shardOf(c.conversationId()) == shard && config.agent(c.agentId()).isPresent()
            && !channels.containsKey(c.conversationId())) {
          newChannel(c.conversationId(), c.agentId(), c.platform()).open();
          publishStats();
        }
      }
      return null;
    });
    if (shard != 0) {
      return unanswered;
    }
    return unanswered.compose(v -> outbox.pending()).map(pending -> {
      if (!pending.isEmpty()) {
        log.info("Re-sending {} undelivered outbox row(s)", pending.size());
      }
      for (PendingDelivery d : pending) {
        services.outbox().deliver(d);
      }
      return null;
    });
  }

  private int shardOf(String conversationId) {
    return Math.floorMod(conversationId.hashCode(), shards);
  }

  private void evictIdle() {
    long cutoff = System.currentTimeMillis() - IDLE_EVICT_MS;
    channels.values().removeIf(c -> !c.inUse() && c.lastActivity() < cutoff);
    publishStats();
  }

  /** Keeps this shard's counts in the node-local map; runs on each change, so it stays exact. */
  private void publishStats() {
    LocalMap<Integer, JsonObject> stats = vertx.sharedData().getLocalMap(STATS_MAP);
    stats.put(shard, new JsonObject().put("channels", channels.size()).put("busy", busyChannels));
  }

  /** Totals over every channel verticle instance on this node. */
  private JsonObject stats() {
    LocalMap<Integer, JsonObject> stats = vertx.sharedData().getLocalMap(STATS_MAP);
    int live = 0;
    int busy = 0;
    for (JsonObject s : stats.values()) {
      live += s.getInteger("channels");
      busy += s.getInteger("busy");
    }
    return new JsonObject().put("channels", live).put("busy", busy);
  }

  @Override
  public Future<?> stop() {
    vertx.sharedData().getLocalMap(STATS_MAP).remove(shard);
    return Future.succeededFuture();
  }
}
