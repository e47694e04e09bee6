package ai.spacebot.messaging.slack;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.config.SlackConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.AdapterVerticle;
import ai.spacebot.messaging.Bindings;
import ai.spacebot.messaging.Capabilities;
import ai.spacebot.messaging.format.Dialect;
import ai.spacebot.messaging.format.MessageFormatter;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.bolt.util.SlackRequestParser;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.socket_mode.response.AckResponse;
import com.slack.api.util.json.GsonFactory;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack adapter on Bolt for Java: Socket Mode (default; Slack pushes events over a WebSocket we open, no public
 * URL needed) or the Events API (Slack POSTs to {@code /slack/events}, which our API server hands over the bus to the
 * adapter that leads; Bolt checks the signature and answers URL verification). Either way Bolt runs the same
 * handlers ({@link SlackInbound}); replies go out as {@link SlackSender}'s steps on the Web API at
 * {@code messaging.slack.api_url}. While a turn runs the person's message carries the typing reaction.
 */
public final class SlackAdapterVerticle extends AdapterVerticle {
  private static final Logger log = LoggerFactory.getLogger(SlackAdapterVerticle.class);

  private final SpacebotConfig config;
  private final SlackConfig slack;
  private final Interactions interactions = new Interactions(System::currentTimeMillis);
  private final PostPacer pacer;
  /** Conversation to the platform id of the latest message kept in it, and to the message now wearing the reaction. */
  private final Map<String, String> lastMessage = new ConcurrentHashMap<>();
  private final Map<String, String> reacted = new HashMap<>();
  private SocketLanes lanes;
  private volatile MethodsClient client;
  private volatile App app;
  private volatile SlackSocketClient socket;
  private Slack sdk;
  private SlackSender sender;
  private MessageConsumer<JsonObject> webhook;

  public SlackAdapterVerticle(SpacebotConfig config, MeterRegistry registry) {
    super(registry);
    this.config = config;
    this.slack = config.messaging().slack();
    this.pacer = new PostPacer(slack.postsPerSecond(), slack.postBurst(), System::currentTimeMillis);
  }

  @Override
  public String platform() {
    return SlackNormaliser.PLATFORM;
  }

  @Override
  protected boolean enabled() {
    return slack.enabled();
  }

  @Override
  protected String disabledHint() {
    return "set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), or SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET with "
        + "messaging.slack.mode: events";
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(slack.maxMessageChars(), Dialect.SLACK_MRKDWN, slack.typingIntervalMillis(), true, true,
        true, false, true);
  }

  @Override
  protected Future<Void> connect() {
    return vertx.<Void>executeBlocking(() -> {
      com.slack.api.SlackConfig sc = new com.slack.api.SlackConfig();
      sc.setMethodsEndpointUrlPrefix(slack.apiUrl());
      // The SDK's per-team call statistics would ask auth.test on their own: not wanted.
      sc.getMethodsConfig().setStatsEnabled(false);
      Slack s = Slack.getInstance(sc);
      MethodsClient methods = s.methods(slack.botToken());
      AuthTestResponse me = methods.authTest(r -> r);
      if (!me.isOk()) {
        if (List.of("invalid_auth", "not_authed", "token_revoked", "account_inactive").contains(me.getError())) {
          throw new ConnectionRefused("Slack refused the bot token (" + me.getError() + "); set SLACK_BOT_TOKEN to "
              + "the Bot User OAuth Token (xoxb-...) from your app's OAuth & Permissions page");
        }
        throw new IllegalStateException("auth.test failed: " + me.getError());
      }
      SlackInbound.Self self = new SlackInbound.Self(me.getUserId(), me.getBotId(), me.getTeamId());
      AppConfig ac = AppConfig.builder().slack(s).singleTeamBotToken(slack.botToken())
          .signingSecret(slack.signingSecret()).requestVerificationEnabled(slack.events()).build();
      App bolt = new App(ac);
      new SlackInbound(context, new SlackNormaliser(slack, new Bindings(config)), interactions,
          new UserNames(() -> client), self, new SlackInbound.Sink() {
            @Override
            public Future<ai.spacebot.bus.Accepted> submit(ai.spacebot.bus.InboundMessage message, long received) {
              return SlackAdapterVerticle.this.submit(message, received);
            }

            @Override
            public Future<Void> submitEdit(ai.spacebot.bus.MessageEdit edit) {
              return SlackAdapterVerticle.this.submitEdit(edit);
            }
          }, lastMessage::put).register(bolt);
      bolt.start();
      sdk = s;
      client = methods;
      app = bolt;
      log.info("[slack] Signed in as {} ({}) in team {} ({}), {}", me.getUser(), me.getUserId(), me.getTeam(),
          me.getTeamId(), slack.events() ? "Events API at /slack/events" : "Socket Mode");
      if (!slack.events()) {
        if (lanes == null) {
          lanes = new SocketLanes(vertx);
        }
        openSocket(s, bolt, ac);
      }
      return null;
    }, false).compose(v -> slack.events() ? listenForEvents() : Future.succeededFuture());
  }

  private void openSocket(Slack s, App bolt, AppConfig ac) throws Exception {
    SlackSocketClient c;
    try {
      c = SlackSocketClient.open(s, slack.appToken(), slack.socketUrl(), this::connected);
    } catch (java.io.IOException e) {
      String why = e.getMessage() == null ? "" : e.getMessage();
      if (why.contains("invalid_auth") || why.contains("not_allowed_token_type") || why.contains("not_authed")) {
        throw new ConnectionRefused("Slack refused the app token (" + why.strip() + "); set SLACK_APP_TOKEN to an "
            + "app-level token (xapp-...) with connections:write, and turn Socket Mode on in the app settings");
      }
      throw e;
    }
    SocketModeRequestParser parser = new SocketModeRequestParser(ac);
    Gson gson = GsonFactory.createSnakeCase(s.getConfig());
    // The SDK hands every envelope to one thread; handlers wait for the store, so they run in lanes per channel
    // (a channel's envelopes in order, channels side by side) on the worker pool instead.
    c.addWebSocketMessageListener(message -> lanes.run(SocketLanes.key(message),
        () -> runSocketRequest(c, bolt, parser, gson, message)));
    c.addWebSocketCloseListener((code, reason) -> reconnecting("Socket Mode connection closed (" + code
        + (reason == null || reason.isBlank() ? "" : " " + reason) + ")"));
    socket = c;
    if (!c.start()) {
      throw new IllegalStateException("could not open the Socket Mode connection to " + c.getWssUri().getHost());
    }
  }

  /** Runs one Socket Mode envelope through Bolt and acknowledges it (a failed store leaves it unacknowledged). */
  private static void runSocketRequest(SlackSocketClient c, App bolt, SocketModeRequestParser parser, Gson gson,
      String message) {
    SocketModeRequest req = parser.parse(message);
    if (req == null) {
      return;
    }
    try {
      Response r = bolt.run(req.getBoltRequest());
      if (r.getStatusCode() != 200) {
        log.debug("[slack] Envelope {} not acknowledged: {}", req.getEnvelope().getEnvelopeId(), r.getStatusCode());
        return;
      }
      String envelope = req.getEnvelope().getEnvelopeId();
      if (r.getBody() != null && !r.getBody().isEmpty() && r.getContentType() != null
          && r.getContentType().startsWith("application/json")) {
        Map<String, Object> reply = new HashMap<>();
        reply.put("envelope_id", envelope);
        reply.put("payload", gson.fromJson(r.getBody(), JsonElement.class));
        c.sendSocketModeResponse(gson.toJson(reply));
      } else {
        c.sendSocketModeResponse(new AckResponse(envelope));
      }
    } catch (Exception e) {
      log.warn("[slack] Could not handle a Socket Mode envelope: {}", describe(e));
    }
  }

  private Future<Void> listenForEvents() {
    if (webhook != null) {
      return Future.succeededFuture();
    }
    webhook = vertx.eventBus().consumer(Addresses.webhook(platform()), this::onEvents);
    return webhook.completion();
  }

  /**
   * The API server's {@code /slack/events}: {headers, body, uri}. Bolt verifies the signature (401), answers URL
   * verification, and runs the handlers, which store a message before the answer goes back.
   */
  private void onEvents(Message<JsonObject> msg) {
    App bolt = app;
    if (bolt == null) {
      msg.fail(503, "slack is not connected");
      return;
    }
    JsonObject ask = msg.body();
    vertx.<Response>executeBlocking(() -> {
      Map<String, List<String>> headers = new HashMap<>();
      JsonObject h = ask.getJsonObject("headers", new JsonObject());
      for (String name : h.fieldNames()) {
        List<String> values = new ArrayList<>();
        h.getJsonArray(name, new JsonArray()).forEach(v -> values.add(String.valueOf(v)));
        headers.put(name.toLowerCase(java.util.Locale.ROOT), values);
      }
      Request<?> req = new SlackRequestParser(bolt.config()).parse(SlackRequestParser.HttpRequest.builder()
          .requestUri(ask.getString("uri", "/slack/events")).requestBody(ask.getString("body", ""))
          .headers(new RequestHeaders(headers)).remoteAddress(ask.getString("remote")).build());
      if (req == null) {
        return Response.builder().statusCode(400).contentType("application/json")
            .body("{\"error\":\"not a Slack request (no event, command or interaction payload)\"}").build();
      }
      return bolt.run(req);
    }, false).onSuccess(r -> msg.reply(new JsonObject().put("status", r.getStatusCode())
            .put("content_type", r.getContentType()).put("body", r.getBody())))
        .onFailure(err -> {
          log.warn("[slack] Could not handle an Events API request: {}", describe(err));
          msg.fail(503, "the request could not be handled; Slack will retry it");
        });
  }

  @Override
  protected Future<Void> disconnect() {
    SlackSocketClient c = socket;
    socket = null;
    App bolt = app;
    app = null;
    client = null;
    Future<Void> unregistered = Future.succeededFuture();
    if (webhook != null) {
      unregistered = webhook.unregister();
      webhook = null;
    }
    if (c == null && bolt == null) {
      return unregistered;
    }
    return unregistered.compose(v -> vertx.executeBlocking(() -> {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          log.debug("[slack] Closing the Socket Mode client: {}", e.getMessage());
        }
      }
      if (bolt != null) {
        try {
          bolt.stop();
        } catch (Exception e) {
          log.debug("[slack] Stopping Bolt: {}", e.getMessage());
        }
      }
      return null;
    }, false).mapEmpty());
  }

  @Override
  protected List<Step> plan(OutboundMessage message) {
    return sender().plan(message);
  }

  /** Puts the typing reaction on the message the turn answers (once); in an assistant thread, its status too. */
  @Override
  protected void sendTyping(String conversationId) {
    String message = lastMessage.get(conversationId);
    SlackTarget target;
    try {
      target = SlackTarget.parse(conversationId);
    } catch (RuntimeException e) {
      return;
    }
    if (target.direct() && target.threadTs() != null) {
      sender().assistantStatus(target.channelId(), target.threadTs(), "is thinking…");
    }
    String ts = SlackTarget.tsOf(message);
    if (ts == null || message.equals(reacted.get(conversationId))) {
      return;
    }
    String previous = reacted.put(conversationId, message);
    if (previous != null) {
      sender().typingReaction(target.channelId(), SlackTarget.tsOf(previous), false);
    }
    sender().typingReaction(target.channelId(), ts, true);
  }

  @Override
  protected void typingStopped(String conversationId) {
    String message = reacted.remove(conversationId);
    if (message == null) {
      return;
    }
    SlackTarget target = SlackTarget.parse(conversationId);
    sender().typingReaction(target.channelId(), SlackTarget.tsOf(message), false);
    if (target.direct() && target.threadTs() != null) {
      sender().assistantStatus(target.channelId(), target.threadTs(), "");
    }
  }

  private SlackSender sender() {
    if (sender == null) {
      sender = new SlackSender(vertx, slack, () -> client, interactions, pacer, config::workspace,
          text -> MessageFormatter.format(text, Dialect.SLACK_MRKDWN, slack.maxMessageChars()));
    }
    return sender;
  }
}
