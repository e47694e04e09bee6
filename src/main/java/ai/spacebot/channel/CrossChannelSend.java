package ai.spacebot.channel;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.DeliveryTarget;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.Binding;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.store.PendingDelivery;
import ai.spacebot.store.ConversationDirectory;
import ai.spacebot.store.ConversationDirectory.KnownConversation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code send_message_to_another_channel}: posts in another conversation of the same agent. The target is an
 * {@code adapter:target} ({@link DeliveryTarget}) or a known conversation's id or name; it must be the agent's: a
 * binding of this agent covers it, it is a conversation the agent already has, or it is one of the agent's own
 * web-chat sessions. The message is sealed like any reply, recorded in both transcripts with its outbox row in one
 * transaction, and delivered by the outbox (receipt, retries, last leak check), so it is as durable as a reply.
 */
final class CrossChannelSend {
  static final String TOOL = "send_message_to_another_channel";
  /** How long the tool waits to tell the model the message arrived; past it, the outbox keeps retrying. */
  static final long WAIT_MS = 10_000;
  /** How many known conversations a name is looked up among. */
  private static final int NAME_LOOKUP = 1000;

  /** Why nothing was sent; the message is what the model reads. */
  static final class NotSent extends RuntimeException {
    NotSent(String message) {
      super(message, null, false, false);
    }
  }

  private final ChannelServices services;
  private final AgentConfig agent;
  private final String sourceConversationId;
  private final String sourcePlatform;
  private final Vertx vertx;

  CrossChannelSend(ChannelServices services, AgentConfig agent, String sourceConversationId, String sourcePlatform,
      Vertx vertx) {
    this.services = services;
    this.agent = agent;
    this.sourceConversationId = sourceConversationId;
    this.sourcePlatform = sourcePlatform;
    this.vertx = vertx;
  }

  /** A target resolved to a conversation, with the name people know it by (null when none is known). */
  /** @param known the conversation as the transcript has it, or null when it is new (or was not read) */
  record Resolved(DeliveryTarget target, String conversationId, String name,
      ConversationDirectory.ConversationOwner known) {
    String label() {
      return name == null ? conversationId : conversationId + " (" + name + ")";
    }
  }

  /** @return what the model reads on success; fails with {@link NotSent} (readable) when nothing was sent */
  Future<String> send(String targetText, String message) {
    if (message == null || message.isBlank()) {
      return Future.failedFuture(new NotSent("Error: \"message\" is empty; nothing was sent."));
    }
    return resolve(targetText).compose(this::checkAllowed).compose(to -> deliver(to, message.strip()));
  }

  Future<Resolved> resolve(String targetText) {
    String text = targetText == null ? "" : targetText.strip();
    int colon = text.indexOf(':');
    boolean adapterForm = colon > 0
        && DeliveryTarget.PLATFORMS.contains(text.substring(0, colon).toLowerCase(Locale.ROOT));
    if (adapterForm) {
      try {
        DeliveryTarget target = DeliveryTarget.parse(text);
        String id = target.conversationId(agent.id());
        return services.transcript().directory().conversationOwner(id)
            .map(known -> new Resolved(target, id, known == null ? null : known.displayName(), known));
      } catch (DeliveryTarget.Invalid e) {
        return Future.failedFuture(new NotSent("Error: " + e.getMessage() + ". Nothing was sent."));
      }
    }
    return services.transcript().directory().knownConversations(agent.id(), sourceConversationId, NAME_LOOKUP)
        .compose(known -> byName(text, known.newest()));
  }

  private Future<Resolved> byName(String text, List<KnownConversation> known) {
    String wanted = normalised(text);
    List<KnownConversation> matches = wanted.isEmpty() ? List.of()
        : known.stream().filter(k -> k.displayName() != null && (normalised(k.displayName()).equals(wanted)
            || normalised(shortName(k.displayName())).equals(wanted))).toList();
    if (matches.size() == 1) {
      KnownConversation k = matches.get(0);
      return Future.succeededFuture(new Resolved(DeliveryTarget.parse(k.id()), k.id(), k.displayName(),
          new ConversationDirectory.ConversationOwner(agent.id(), k.displayName())));
    }
    if (matches.size() > 1) {
      return Future.failedFuture(new NotSent("Error: several of your channels are called \"" + shown(text)
          + "\": " + String.join(", ", matches.stream().map(k -> k.id() + " (" + k.displayName() + ")").toList())
          + ". Name one by its id. Nothing was sent."));
    }
    String why;
    try {
      DeliveryTarget.parse(text);
      why = "";
    } catch (DeliveryTarget.Invalid e) {
      why = e.getMessage() + "; ";
    }
    return Future.failedFuture(new NotSent("Error: " + why + "no channel of yours is called \"" + shown(text)
        + "\". Use a channel id or name from your channels list, or adapter:target (" + DeliveryTarget.FORMS
        + "). Nothing was sent."));
  }

  /** {@code #general (Guild)} is also called {@code general}. */
  private static String shortName(String displayName) {
    int paren = displayName.indexOf(" (");
    return paren > 0 ? displayName.substring(0, paren) : displayName;
  }

  private static String normalised(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return n.startsWith("#") ? n.substring(1).strip() : n;
  }

  private static String shown(String s) {
    String printable = s.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 60 ? printable.substring(0, 60) + "…" : printable;
  }

  /** The agent's own channels only: a binding of this agent covers it, or the agent already talks there. */
  Future<Resolved> checkAllowed(Resolved to) {
    if (to.conversationId().equals(sourceConversationId)) {
      return Future.failedFuture(new NotSent("Error: " + to.conversationId() + " is this conversation; answer here "
          + "with reply. Nothing was sent."));
    }
    DeliveryTarget t = to.target();
    if (t.platform().equals("portal")) {
      return to.conversationId().startsWith("portal:chat:" + agent.id() + ":") ? Future.succeededFuture(to)
          : Future.failedFuture(refused(to, "it is another agent's web chat"));
    }
    Optional<Binding> binding = services.config().messaging().bindingFor(t.platform(), t.space(), t.chat(), t.direct());
    if (binding.isPresent() && binding.get().agentId().equals(agent.id())) {
      return Future.succeededFuture(to);
    }
    String owner = to.known() == null ? null : to.known().agentId();
    if (agent.id().equals(owner)) {
      return Future.succeededFuture(to);
    }
    return Future.failedFuture(refused(to, owner != null ? "it is a conversation of another agent"
        : binding.isPresent() ? "the binding that covers it routes it to another agent"
        : "no binding of yours covers it and you have never talked there"));
  }

  private static NotSent refused(Resolved to, String why) {
    return new NotSent("Refused: " + to.label() + " is not one of your channels (" + why + "). Nothing was sent; "
        + "tell the people here if they asked for it.");
  }

  private Future<String> deliver(Resolved to, String text) {
    OutboundMessage draft = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE, agent.id(),
        to.target().platform(), to.conversationId(), text, null, "elsewhere:" + UUID.randomUUID());
    OutboundGuard.Sealed sealed = services.guard().seal(draft);
    if (sealed.withheld()) {
      services.events().publish(new AgentEvent.SecretLeakBlocked(agent.id(), sourceConversationId,
          sealed.withheldFor().wireName(), "send_message_to_another_channel", draft.id()));
      return Future.failedFuture(new NotSent("Withheld: the message looked like it held a credential ("
          + sealed.withheldFor().wireName() + "); nothing was sent."));
    }
    OutboundMessage message = sealed.message();
    String note = "[You sent to " + to.label() + "]: " + message.text();
    return services.transcript()
        .recordSentElsewhere(sourceConversationId, sourcePlatform, UUID.randomUUID().toString(), note, message)
        .compose(v -> {
          vertx.eventBus().publish(Addresses.CHANNEL_SENT_ELSEWHERE, new JsonObject()
              .put("conversation_id", message.conversationId()).put("text", message.text()));
          Promise<Void> settled = Promise.promise();
          long timer = vertx.setTimer(WAIT_MS, t -> settled.tryComplete());
          services.outbox().deliver(new PendingDelivery(message.id(), message, 0)).onComplete(ar -> {
            vertx.cancelTimer(timer);
            settled.tryComplete();
          });
          return settled.future();
        })
        .compose(v -> services.transcript().messageStatus(message.id()))
        .compose(status -> switch (status.getString("status", "pending")) {
          case "delivered" -> Future.succeededFuture("Sent to " + to.label() + ".");
          case "failed" -> Future.failedFuture(new NotSent("Error: the message to " + to.label()
              + " could not be delivered: " + status.getString("error") + ". It is kept as a failed delivery an "
              + "operator can retry."));
          default -> Future.succeededFuture("Queued for " + to.label() + "; the platform has not confirmed it yet "
              + "and the outbox keeps retrying.");
        });
  }
}
