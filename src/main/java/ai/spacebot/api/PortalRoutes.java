package ai.spacebot.api;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.portal.PortalAdapterVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web chat: opening a visitor session, sending, the transcript and the event stream. The operator may
 * use every conversation (the reference-compatible portal API); a visitor's session token holds it to the
 * one conversation named in the token.
 */
final class PortalRoutes {
  private static final Logger log = LoggerFactory.getLogger(PortalRoutes.class);
  static final String SESSION = "/api/portal/session";
  static final String SEND = "/api/portal/send";
  static final String HISTORY = "/api/portal/history";

  private final Vertx vertx;
  private final SpacebotConfig config;
  private final Intake intake;
  private final ApiGuard guard;
  private final EventStream events;
  private final SessionAllowance allowance;

  PortalRoutes(Vertx vertx, SpacebotConfig config, Intake intake, ApiGuard guard, EventStream events) {
    this.vertx = vertx;
    this.config = config;
    this.intake = intake;
    this.guard = guard;
    this.events = events;
    this.allowance = new SessionAllowance(config.api().sessionsPerAddressPerHour());
  }

  /** The session route: open to anyone, so it must come before the guard. */
  void mountOpen(Router router) {
    router.post(SESSION).handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(this::session);
  }

  /** The routes a visitor may use (behind the guard, which has checked the token). */
  void mountGuarded(Router router) {
    guard.visitorRoute(HttpMethod.POST, SEND);
    guard.visitorRoute(HttpMethod.GET, HISTORY);
    guard.visitorRoute(HttpMethod.GET, ApiGuard.EVENTS);
    router.post(SEND).handler(this::send);
    router.get(HISTORY).handler(this::history);
    router.get(ApiGuard.EVENTS).handler(this::events);
  }

  /**
   * {@code POST /api/portal/session {agent_id?}}: a session token for a fresh conversation, or, presented with
   * a still valid token of the same agent, a renewed token for the same conversation. Only the operator may
   * name the session (to hand a visitor a token for a conversation of its choosing).
   */
  private void session(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    JsonObject body = text == null || text.isBlank() ? new JsonObject() : PortalRequests.jsonBody(ctx);
    String requested = PortalRequests.optionalString(body, "agent_id", 64);
    AgentConfig agent = requested == null ? config.agents().get(0) : agent(requested, "agent_id");
    String namedSession = PortalRequests.optionalString(body, "session_id", 128);

    Caller caller = guard.identify(ctx, false);
    boolean operator = config.api().authToken() != null && caller != null && caller.operator();
    String sessionId;
    if (namedSession != null) {
      if (!operator) {
        ApiGuard.forbidden(ctx, "only the operator token may name the session; leave session_id out to get a new one");
        return;
      }
      sessionId = PortalRequests.sessionId(namedSession, "session_id");
    } else if (caller != null && !caller.operator() && caller.agentId().equals(agent.id())) {
      sessionId = caller.sessionId(); // renewal: no new conversation, so not counted
    } else {
      if (!operator) {
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        long wait = allowance.take(address, System.currentTimeMillis());
        if (wait > 0) {
          ctx.response().putHeader("Retry-After", Long.toString(wait));
          ApiError.send(ctx, 429, null, "too many new chat sessions from this address (api.sessions_per_address_per_hour); "
              + "try again in " + wait + " s");
          return;
        }
      }
      sessionId = UUID.randomUUID().toString();
    }
    long expires = System.currentTimeMillis() / 1000 + config.api().sessionTtlHours() * 3600L;
    JsonArray agents = new JsonArray(config.agents().stream()
        .map(a -> new JsonObject().put("id", a.id()).put("name", a.name())).toList());
    Replies.json(ctx, 200, new JsonObject()
        .put("token", guard.sessions().issue(agent.id(), sessionId, expires))
        .put("agent_id", agent.id())
        .put("session_id", sessionId)
        .put("conversation_id", PortalConversations.id(agent.id(), sessionId))
        .put("expires_at", expires * 1000)
        .put("agents", agents));
  }

  private void send(RoutingContext ctx) {
    if (!intake.isOpen()) {
      throw new ApiError(503, null, "shutting down; try again shortly");
    }
    JsonObject body = PortalRequests.jsonBody(ctx);
    String agentId = agent(PortalRequests.requiredString(body, "agent_id", 64), "agent_id").id();
    String sessionId = PortalRequests.sessionId(PortalRequests.requiredString(body, "session_id", 128), "session_id");
    String senderName = PortalRequests.requiredString(body, "sender_name", 100);
    String text = PortalRequests.message(body, config.api().maxMessageBytes());
    String clientMessageId = PortalRequests.optionalString(body, "client_message_id", 128);
    Caller caller = ApiGuard.caller(ctx);
    if (!owns(ctx, caller, agentId, sessionId, "send into")) {
      return;
    }

    InboundMessage message = new InboundMessage(UUID.randomUUID().toString(), agentId, PortalAdapterVerticle.PLATFORM,
        PortalConversations.id(agentId, sessionId), "portal:" + sessionId, senderName, text, System.currentTimeMillis(),
        clientMessageId, new JsonObject().put("session_id", sessionId), caller.addressing(), null, List.of())
        .withConversationName("Web chat with " + senderName);
    vertx.eventBus().<JsonObject>request(Addresses.INBOUND, message.toJson(), Replies.ASK).onComplete(ar -> {
      if (ar.succeeded()) {
        Accepted accepted = Accepted.fromJson(ar.result().body());
        Replies.json(ctx, 200, new JsonObject().put("ok", true).put("message_id", accepted.messageId())
            .put("duplicate", accepted.duplicate()));
        return;
      }
      if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == 400) {
        ApiError.send(ctx, 400, null, re.getMessage());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        ApiError.send(ctx, 503, null, "no channel process is running; the message was not accepted");
      } else {
        log.warn("Could not hand a portal message to the channel process: {}", ar.cause().getMessage());
        ApiError.send(ctx, 503, null, "the message could not be stored right now; please retry");
      }
    });
  }

  private void history(RoutingContext ctx) {
    String agentId = agent(PortalRequests.queryParam(ctx, "agent_id"), "agent_id").id();
    String sessionId = PortalRequests.sessionId(PortalRequests.queryParam(ctx, "session_id"), "session_id");
    int limit = PortalRequests.intParam(ctx, "limit", 100, 1, 1000);
    if (!owns(ctx, ApiGuard.caller(ctx), agentId, sessionId, "read the history of")) {
      return;
    }
    JsonObject ask = new JsonObject().put("conversation_id", PortalConversations.id(agentId, sessionId)).put("limit", limit);
    vertx.eventBus().<JsonObject>request(Addresses.HISTORY, ask, Replies.ASK).onComplete(ar -> {
      if (ar.failed()) {
        ApiError.send(ctx, 503, null, "the transcript is not available right now");
      } else {
        Replies.json(ctx, 200, ar.result().body());
      }
    });
  }

  /**
   * The operator may filter as it likes; a visitor always gets its own conversation's events and nothing else, and
   * of those only what the chat shows (no worker or branch internals, no tool arguments or results).
   */
  private void events(RoutingContext ctx) {
    String agentId = ctx.request().getParam("agent_id");
    if (agentId != null) {
      agent(agentId, "agent_id");
    }
    String channelId = ctx.request().getParam("channel_id");
    Caller caller = ApiGuard.caller(ctx);
    if (!caller.operator()) {
      if ((agentId != null && !agentId.equals(caller.agentId()))
          || (channelId != null && !channelId.equals(caller.conversationId()))) {
        ApiGuard.forbidden(ctx, "a session token streams only its own conversation's events; "
            + "leave agent_id and channel_id out or name its own");
        return;
      }
      agentId = caller.agentId();
      channelId = caller.conversationId();
    }
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = ctx.request().getParam("last_event_id");
    }
    events.attach(ctx.response(), ctx.request().connection(), agentId, channelId, lastEventId, !caller.operator());
  }

  private static boolean owns(RoutingContext ctx, Caller caller, String agentId, String sessionId, String what) {
    if (caller.operator() || (caller.agentId().equals(agentId) && caller.sessionId().equals(sessionId))) {
      return true;
    }
    ApiGuard.forbidden(ctx, "a session token may " + what + " only its own conversation; agent_id and session_id "
        + "must be the ones it was issued for");
    return false;
  }

  private AgentConfig agent(String id, String field) {
    return PortalRequests.agent(config, id, field);
  }
}
