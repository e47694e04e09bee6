package ai.spacebot.channel;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.CompactionCheck;
import ai.spacebot.bus.CompactionDecision;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.llm.context.CompactionPolicy;
import ai.spacebot.llm.context.HistoryCut;
import ai.spacebot.llm.context.TokenEstimator;
import ai.spacebot.config.CompactionSettings;
import ai.spacebot.llm.ChatJson;
import dev.langchain4j.data.message.ChatMessage;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's side of compaction: after each turn it reports its size to the Compactor and applies the
 * decision to its history — a background summary of the oldest part (the channel keeps answering
 * meanwhile), or an emergency drop. History is touched only on the channel's event loop; a summary that
 * returns after the head of history changed is discarded.
 */
final class ChannelCompaction {
  private static final Logger log = LoggerFactory.getLogger(ChannelCompaction.class);
  private static final DeliveryOptions SUMMARY = new DeliveryOptions().setSendTimeout(300_000);

  /** The history this works on; the channel owns it. */
  interface History {
    List<ChatMessage> messages();

    void replace(List<ChatMessage> messages);

    /** Tokens of what is sent besides history (the system prompt). */
    long overheadTokens();
  }

  private final String agentId;
  private final String channelId;
  private final CompactionSettings settings;
  private final EventBus bus;
  private final EventPublisher events;
  private final History history;
  private boolean summarizing;
  private int headEpoch;

  ChannelCompaction(String agentId, String channelId, CompactionSettings settings, EventBus bus, EventPublisher events,
      History history) {
    this.agentId = agentId;
    this.channelId = channelId;
    this.settings = settings;
    this.bus = bus;
    this.events = events;
    this.history = history;
  }

  long estimatedTokens() {
    return TokenEstimator.estimate(history.messages()) + history.overheadTokens();
  }

  /** After a turn: asks the Compactor what to do and does it. Never fails the turn. */
  void afterTurn() {
    long tokens = estimatedTokens();
    // Below the first threshold the Compactor would answer "none": skip the round trip (most turns).
    if (CompactionPolicy.decide(tokens, settings).action().equals(CompactionDecision.NONE)) {
      return;
    }
    bus.<JsonObject>request(Addresses.COMPACTOR_CHECK,
            new CompactionCheck(agentId, channelId, tokens, history.messages().size()).toJson())
        .map(reply -> CompactionDecision.fromJson(reply.body()))
        .recover(err -> {
          // Without a Compactor the emergency cut still protects the channel from overflowing.
          if (!(err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS)) {
            log.warn("[{}] Compaction check failed: {}", channelId, err.getMessage());
          }
          CompactionDecision local = CompactionPolicy.decide(tokens, settings);
          return io.vertx.core.Future.succeededFuture(local.action().equals(CompactionDecision.EMERGENCY) ? local
              : new CompactionDecision(CompactionDecision.NONE, 0, local.usage()));
        })
        .onSuccess(decision -> {
          switch (decision.action()) {
            case CompactionDecision.EMERGENCY -> emergency(decision.fraction(), decision.usage());
            case CompactionDecision.SUMMARIZE -> summarize(decision);
            default -> { }
          }
        });
  }

  /** Drops the oldest part at once, no model call: at ≥ the emergency threshold or after a provider overflow. */
  void emergency(double fraction, double usage) {
    List<ChatMessage> before = history.messages();
    if (before.size() < 2) {
      return;
    }
    long tokensBefore = estimatedTokens();
    events.publish(new AgentEvent.CompactionStarted(agentId, channelId, "emergency", usage, before.size()));
    List<ChatMessage> after = HistoryCut.emergencyDrop(before, fraction);
    int removed = before.size() - after.size() + 1;
    history.replace(new ArrayList<>(after));
    headEpoch++;
    log.info("[{}] Emergency compaction dropped {} messages", channelId, removed);
    events.publish(new AgentEvent.CompactionCompleted(agentId, channelId, "emergency", removed, tokensBefore,
        estimatedTokens(), false));
  }

  private void summarize(CompactionDecision decision) {
    if (summarizing) {
      return;
    }
    List<ChatMessage> messages = history.messages();
    int cut = HistoryCut.cutCount(messages, decision.fraction());
    if (cut <= 0) {
      return;
    }
    String level = decision.usage() >= settings.aggressiveThreshold() ? "aggressive" : "background";
    List<ChatMessage> slice = List.copyOf(messages.subList(0, cut));
    int epoch = headEpoch;
    long tokensBefore = estimatedTokens();
    summarizing = true;
    events.publish(new AgentEvent.CompactionStarted(agentId, channelId, level, decision.usage(), cut));
    JsonObject body = new JsonObject().put("agent_id", agentId).put("channel_id", channelId)
        .put("messages", ChatJson.toJson(slice));
    bus.<JsonObject>request(Addresses.COMPACTOR_SUMMARIZE, body, SUMMARY).onComplete(ar -> {
      summarizing = false;
      if (ar.failed() || epoch != headEpoch) {
        log.warn("[{}] Background compaction gave up: {}", channelId,
            ar.failed() ? ar.cause().getMessage() : "history changed meanwhile");
        events.publish(new AgentEvent.CompactionCompleted(agentId, channelId, level, 0, tokensBefore, estimatedTokens(),
            false));
        return;
      }
      history.replace(new ArrayList<>(HistoryCut.withSummary(history.messages(), cut, ar.result().body().getString("summary", ""))));
      headEpoch++;
      events.publish(new AgentEvent.CompactionCompleted(agentId, channelId, level, cut, tokensBefore, estimatedTokens(),
          true));
    });
  }
}
