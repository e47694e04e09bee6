package ai.spacebot.channel;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.bus.TypingSignal;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.store.PendingDelivery;
import dev.langchain4j.data.message.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a channel's turns end and what leaves: the reply and reactions of a turn, the over-budget notice, the
 * apology for a failed turn, the one notice of a rate-limit streak, the typing signal. Each records the turn in the
 * transcript with what it sends (one transaction) and only then hands it to the outbox.
 */
final class TurnEndings {
  private static final Logger log = LoggerFactory.getLogger(TurnEndings.class);

  private final ChannelServices services;
  private final AgentConfig agent;
  private final String platform;
  private final String conversationId;
  private final EventBus bus;
  private final Consumer<ChatMessage> remember;
  /** Whether the over-budget notice went out since the budget last allowed a call. */
  private boolean budgetNoticeSent;

  TurnEndings(ChannelServices services, AgentConfig agent, String platform, String conversationId, EventBus bus,
      Consumer<ChatMessage> remember) {
    this.services = services;
    this.agent = agent;
    this.platform = platform;
    this.conversationId = conversationId;
    this.bus = bus;
    this.remember = remember;
  }

  void budgetAllowsCalls() {
    budgetNoticeSent = false;
  }

  Future<Void> complete(List<String> ids, List<String> resultIds, String replyKey, String replyTarget,
      List<ChatMessage> incoming, List<ChatMessage> turnMessages, String text, TurnState state) {
    // A tool the people may not cause was refused: they hear why, even if the model then said nothing.
    if (text == null && !state.refusals.isEmpty()) {
      text = String.join(" ", state.refusals);
    }
    String lastInbound = ids.isEmpty() ? null : ids.get(ids.size() - 1);
    OutboundMessage reply = text == null && state.files.isEmpty() ? null : outgoing(new OutboundMessage(
        UUID.randomUUID().toString(), OutboundMessage.MESSAGE, agent.id(), platform, conversationId,
        text == null ? "" : text, lastInbound, replyKey, replyTarget, state.threadName, state.rich, state.files,
        List.of()));
    Future<Void> reactions = Future.succeededFuture();
    if (lastInbound != null) {
      for (String emoji : state.reactions) {
        OutboundMessage reaction = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.REACTION, agent.id(),
            platform, conversationId, emoji, lastInbound, "react:" + lastInbound + ":" + emoji).withReplyTarget(replyTarget);
        reactions = reactions.compose(v -> services.transcript().enqueue(reaction))
            .onSuccess(v -> services.outbox().deliver(new PendingDelivery(reaction.id(), reaction, 0)));
      }
    }
    // The turn ends when its reply is delivered (or given up on), so replies leave in order and
    // typing stops only after the answer is out.
    return reactions
        .compose(v -> services.transcript().completeTurn(concat(ids, resultIds), reply))
        .compose(recorded -> {
          incoming.forEach(remember);
          turnMessages.forEach(remember);
          if (!recorded) {
            log.info("[{}] Turn for {} was already answered; not sending again", conversationId, ids);
          } else if (reply != null) {
            return services.outbox().deliver(new PendingDelivery(reply.id(), reply, 0));
          } else if (state.skipped) {
            log.debug("[{}] Skipped: {}", conversationId, state.skipReason);
          }
          return Future.<Void>succeededFuture();
        })
        .onComplete(ar -> typing(false));
  }

  /**
   * Over today's budget: no model call. The first message after the cut is answered once with the
   * reason; later ones are kept, unanswered, until the budget allows calls again.
   */
  Future<Void> overBudget(List<String> ids, List<String> resultIds, String replyTarget, List<ChatMessage> incoming,
      String reason) {
    if (ids.isEmpty() || budgetNoticeSent) {
      if (!ids.isEmpty()) {
        log.info("[{}] Over budget; {} message(s) kept without an answer", conversationId, ids.size());
      }
      return services.transcript().completeTurn(concat(ids, resultIds), null)
          .onSuccess(v -> incoming.forEach(remember)).mapEmpty();
    }
    budgetNoticeSent = true;
    OutboundMessage notice = outgoing(new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE,
        agent.id(), platform, conversationId, reason, ids.get(ids.size() - 1), "budget:" + ids.get(0))
        .withReplyTarget(replyTarget));
    return services.transcript().failTurnWithApology(concat(ids, resultIds), "over budget: " + reason, notice)
        .compose(recorded -> {
          incoming.forEach(remember);
          return recorded ? services.outbox().deliver(new PendingDelivery(notice.id(), notice, 0))
              : Future.<Void>succeededFuture();
        });
  }

  /**
   * A turn that got no answer. The people who asked get a short apology with the reason (a re-trigger
   * turn, which nobody asked for, only leaves a line in the transcript); their messages stay in history.
   */
  Future<Void> fail(List<String> ids, List<String> resultIds, String replyTarget, List<ChatMessage> incoming,
      String explanation) {
    services.events().publish(new AgentEvent.Error(agent.id(), conversationId, explanation));
    if (ids.isEmpty()) {
      return services.transcript()
          .failTurn(conversationId, agent.id(), platform, resultIds, UUID.randomUUID().toString(), explanation)
          .onSuccess(v -> incoming.forEach(remember))
          .onComplete(ar -> typing(false));
    }
    OutboundMessage apology = outgoing(new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE,
        agent.id(), platform, conversationId, TurnErrors.apology(explanation), ids.get(ids.size() - 1),
        "apology:" + ids.get(0)).withReplyTarget(replyTarget));
    return services.transcript().failTurnWithApology(concat(ids, resultIds), explanation, apology)
        .compose(recorded -> {
          incoming.forEach(remember);
          return recorded ? services.outbox().deliver(new PendingDelivery(apology.id(), apology, 0))
              : Future.<Void>succeededFuture();
        })
        .onComplete(ar -> typing(false));
  }

  /**
   * Answers one message at once, without a model call (a command, a rate-limit notice), through the outbox like
   * any reply; {@code keyPrefix} keeps it from being queued twice.
   */
  Future<Void> answerAtOnce(InboundMessage message, String text, String keyPrefix, Future<Void> before) {
    OutboundMessage reply = outgoing(new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE,
        agent.id(), platform, conversationId, text, message.id(), keyPrefix + message.id())
        .withReplyTarget(message.platformMessageId()));
    return before.compose(v -> services.transcript().completeTurn(List.of(message.id()), reply))
        .onSuccess(recorded -> {
          if (recorded) {
            services.outbox().deliver(new PendingDelivery(reply.id(), reply, 0));
          }
        })
        .<Void>mapEmpty()
        .onFailure(err -> log.warn("[{}] Could not answer {}: {}", conversationId, message.id(), err.getMessage()));
  }

  /**
   * Every message to people passes here before it is stored as sent: known secret values are redacted, and a
   * message holding a credential format is withheld (the people get a short notice; operators get an event).
   * The outbox checks again before a platform sees it.
   */
  private OutboundMessage outgoing(OutboundMessage message) {
    OutboundGuard.Sealed sealed = services.guard().seal(message);
    if (sealed.withheld()) {
      String pattern = sealed.withheldFor().wireName();
      log.warn("[{}] Withheld reply {}: it looked like it held a credential ({})", conversationId, message.id(), pattern);
      services.events().publish(new AgentEvent.SecretLeakBlocked(agent.id(), conversationId, pattern, "reply",
          message.id()));
    }
    return sealed.message();
  }

  void typing(boolean on) {
    services.events().publish(new AgentEvent.TypingState(agent.id(), conversationId, on));
    // The platform's adapter shows "typing…" and keeps it up until the turn ends.
    bus.publish(Addresses.typing(platform), new TypingSignal(agent.id(), conversationId, on).toJson());
  }

  static List<String> concat(List<String> a, List<String> b) {
    if (b.isEmpty()) {
      return a;
    }
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
