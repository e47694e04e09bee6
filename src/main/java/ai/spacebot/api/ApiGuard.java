package ai.spacebot.api;

import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call which route. Every API route is the operator's unless it was declared a visitor route: a
 * web-chat session token opens only those, and only for its own conversation (the routes check that). A
 * route added without thinking about visitors is therefore operator-only.
 *
 * <p>Routes with credentials of their own are mounted ahead of this guard and never reach it: the web-chat session
 * route, Telegram's webhook, and the generic webhooks' two routes ({@code WebhookRoutes}, only the exact patterns
 * {@code POST /api/webhook/:webhook/messages} and {@code GET /api/webhook/:webhook/conversations/:conversation/messages},
 * and only when webhooks are configured), which the webhook adapter opens with that webhook's secret alone.
 *
 * <p>The operator is whoever presents {@code api.auth_token}, or anyone at all when no token is configured.
 * A session token is always checked, also without an operator token: a forged one is a 401, a valid one
 * makes its bearer a visitor (never the operator).
 */
final class ApiGuard {
  private static final Logger log = LoggerFactory.getLogger(ApiGuard.class);
  /** The path that also takes {@code ?token=}: a browser's EventSource cannot send headers. */
  static final String EVENTS = "/api/events";

  private final SpacebotConfig config;
  /** SHA-256 of the operator token: equal-length digests make the comparison's time independent of the guess. */
  private final byte[] operatorDigest;
  private final Set<String> visitorRoutes = new HashSet<>();
  private SessionTokens sessions;

  ApiGuard(SpacebotConfig config) {
    this.config = config;
    this.operatorDigest = config.api().authToken() == null ? null : sha256(config.api().authToken());
  }

  /** Set once the key is read (off the loop), before the server listens. */
  void sessions(SessionTokens sessions) {
    this.sessions = sessions;
  }

  SessionTokens sessions() {
    return sessions;
  }

  /** Opens a route to visitors too; its handler must hold them to their own conversation. */
  void visitorRoute(HttpMethod method, String path) {
    visitorRoutes.add(method.name() + " " + path);
  }

  /** For {@code /api/*}: 401 without valid credentials, 403 for a visitor outside the visitor routes. */
  void apiRoute(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    Caller caller = identify(ctx, EVENTS.equals(path));
    if (caller == null) {
      ApiError.send(ctx, 401, null, "unauthorized");
    } else if (!caller.operator() && !visitorRoutes.contains(ctx.request().method().name() + " " + path)) {
      forbidden(ctx, "a web-chat session token may only send to, read the history of and stream the events of its "
          + "own conversation; " + ctx.request().method() + " " + path + " needs the operator token");
    } else {
      ctx.put(Caller.KEY, caller);
      ctx.next();
    }
  }

  /** For operator-only routes outside {@code /api} ({@code /metrics}): a bearer header only. */
  void operatorRoute(RoutingContext ctx) {
    Caller caller = identify(ctx, false);
    if (caller == null) {
      ApiError.send(ctx, 401, null, "unauthorized");
    } else if (!caller.operator()) {
      forbidden(ctx, ctx.normalizedPath() + " needs the operator token");
    } else {
      ctx.next();
    }
  }

  /**
   * The caller a request's credentials name, or null if they name nobody (a wrong operator token, a forged,
   * altered or expired session token, or none where one is required).
   */
  Caller identify(RoutingContext ctx, boolean queryTokenAllowed) {
    String header = ctx.request().getHeader("Authorization");
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    if (given == null && queryTokenAllowed) {
      given = ctx.request().getParam("token");
    }
    if (given != null && operatorDigest != null && MessageDigest.isEqual(sha256(given), operatorDigest)) {
      return Caller.OPERATOR;
    }
    if (given != null && given.startsWith(SessionTokens.PREFIX)) {
      SessionTokens.Session s = sessions.verify(given, System.currentTimeMillis() / 1000);
      // A token for an agent that is no longer configured names nobody.
      return s == null || config.agent(s.agentId()).isEmpty() ? null : Caller.visitor(s.agentId(), s.sessionId());
    }
    return operatorDigest == null ? Caller.OPERATOR : null;
  }

  /** The caller {@link #apiRoute} let through. */
  static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(Caller.KEY);
    if (caller == null) {
      throw new IllegalStateException("route " + ctx.normalizedPath() + " is not behind the API guard");
    }
    return caller;
  }

  static void forbidden(RoutingContext ctx, String reason) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", "forbidden").put("reason", reason).encode());
  }

  /**
   * Warns when the API listens beyond loopback with no token: then anyone who reaches the port operates every
   * agent. Blocking (the bind address may be a name): call off the event loop.
   */
  static void warnIfExposed(SpacebotConfig config) {
    if (config.api().authToken() != null) {
      return;
    }
    String bind = config.api().bind();
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      log.warn("The API listens on {} without api.auth_token: anyone who can reach port {} operates every agent "
          + "(reads every conversation, sends as an authority user, changes memories). Set api.auth_token "
          + "(env SPACEBOT_AUTH_TOKEN) or bind to 127.0.0.1.", bind, config.api().port());
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
