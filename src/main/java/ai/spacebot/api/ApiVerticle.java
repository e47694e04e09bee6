package ai.spacebot.api;

import ai.spacebot.app.Version;
import ai.spacebot.bus.Addresses;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.routing.ModelInventory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import ai.spacebot.tools.workspace.Sandbox;
import ai.spacebot.secrets.SecretStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and the web chat page. It holds no conversation state: a message is handed to the
 * Channel process over the bus (possibly on another node) and answered on the event stream.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);
  /** Node-local map the main verticle marks {@link #READY} in once all its deployments are up. */
  public static final String NODE_STATE = "spacebot.node";
  public static final String READY = "ready";
  /** A JsonArray of {key, secret}: the config values that wait for the locked secret store on this node. */
  public static final String SECRETS_WAITING = "secrets_waiting";
  private static final DeliveryOptions ASK = Replies.ASK;
  /** Imports, reindexing and maintenance passes embed many texts; a 100k reindex takes minutes. */
  private static final DeliveryOptions LONG_ASK = new DeliveryOptions().setSendTimeout(3_600_000);

  private final SpacebotConfig config;
  private final Intake intake;
  private final PrometheusMeterRegistry metrics;
  private EventStream events;
  private HttpServer server;
  private Router router;

  /** The workers' shell sandbox on this node, as {@code /api/health} reports it (looked up at start, off the loop). */
  private String sandbox;
  private final SecretStore secrets;
  private SecretRequests secretRoutes;

  public ApiVerticle(SpacebotConfig config, Intake intake) {
    this(config, intake, null);
  }

  /** @param metrics rendered at {@code GET /metrics}; null for no metrics route */
  public ApiVerticle(SpacebotConfig config, Intake intake, PrometheusMeterRegistry metrics) {
    this(config, intake, metrics, null);
  }

  /** @param secrets this node's secret store ({@code /api/secrets}), or null when the node has none */
  public ApiVerticle(SpacebotConfig config, Intake intake, PrometheusMeterRegistry metrics, SecretStore secrets) {
    this.config = config;
    this.intake = intake;
    this.metrics = metrics;
    this.secrets = secrets;
  }

  @Override
  public Future<?> start() {
    events = new EventStream(vertx, config.events());
    ApiGuard guard = new ApiGuard(config);
    secretRoutes = new SecretRequests(vertx, secrets, config.api());
    Router router = Router.router(vertx);
    router.route().handler(Escapes::check);
    // Healthy once every process of this node is deployed: the API itself comes up first.
    router.get("/api/health").handler(ctx -> {
      boolean ready = Boolean.TRUE.equals(vertx.sharedData().getLocalMap(NODE_STATE).get(READY));
      json(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "ok" : "starting").put("sandbox", sandbox)
          .put("secrets", secretRoutes.health()));
    });
    MessagingRoutes.telegramWebhook(router, vertx, config, config.api().maxBodyBytes());
    MessagingRoutes.slackEvents(router, vertx, config, config.api().maxBodyBytes());
    PortalRoutes portal = new PortalRoutes(vertx, config, intake, guard, events);
    portal.mountOpen(router);
    // The webhooks take their own bearer secrets, checked by the webhook adapter, not the operator token.
    new WebhookRoutes(vertx, config).mount(router);
    // Everything below is the operator's unless declared a visitor route (see ApiGuard).
    router.route("/api/*").handler(guard::apiRoute);
    router.post("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.api().maxBodyBytes()));
    portal.mountGuarded(router);
    router.get("/api/status").handler(this::status);
    router.get("/api/channels").handler(this::channels);
    router.get("/api/workers").handler(this::workers);
    router.get("/api/models").handler(this::models);
    router.post("/api/channels/cancel-process").handler(this::cancelProcess);
    router.put("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.api().maxBodyBytes()));
    router.put("/api/channels/model").handler(this::pinModel);
    router.post("/api/agents/memories").handler(this::saveMemory);
    router.get("/api/agents/memories").handler(this::listMemories);
    router.post("/api/agents/memories/import").handler(this::importMemories);
    router.post("/api/agents/memories/reindex").handler(this::reindexMemories);
    router.post("/api/agents/memories/maintenance").handler(this::maintainMemories);
    router.get("/api/agents/memories/search").handler(this::searchMemories);
    router.get("/api/agents/memories/graph").handler(this::memoryGraph);
    router.delete("/api/agents/memories/:id").handler(this::forgetMemory);
    router.get("/api/usage").handler(this::usage);
    router.get("/api/adapters").handler(ctx -> MessagingRoutes.adapters(vertx, ctx));
    router.get("/api/deliveries").handler(ctx -> forward(ctx, Addresses.DELIVERIES_LIST, MessagingRoutes.deliveriesQuery(ctx)));
    router.post("/api/deliveries/:id/retry").handler(ctx -> forward(ctx, Addresses.DELIVERY_RETRY,
        new JsonObject().put("id", ctx.pathParam("id"))));
    router.post("/api/agents/budget").handler(this::setBudget);
    secretRoutes.register(router);
    if (metrics != null) {
      // Prometheus text format. Same rule as /api: with api.auth_token set, a bearer token is required
      // (Prometheus: authorization.credentials or bearer_token_file); no ?token= here.
      router.get("/metrics").handler(guard::operatorRoute).handler(this::metrics);
    }
    router.route("/api/*").handler(ctx -> ApiError.send(ctx, 404, null, "no such API route: " + ctx.request().method() + " " + ctx.request().path()));
    router.route("/*").handler(StaticHandler.create("web").setCachingEnabled(false));
    router.route().failureHandler(ctx -> ApiError.failure(ctx, config.api().maxBodyBytes()));

    // The idle timeout is above events.ping_seconds (the config loader checks), so quiet event streams live on.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.api().bind()).setPort(config.api().port())
        // No h2c: while sniffing for the HTTP/2 preface the server does not yet see a connection, so neither
        // the per-address bound nor the request deadline could act on a client that sends nothing.
        .setCompressionSupported(false).setHttp2ClearTextEnabled(false).setIdleTimeout(config.api().idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS));
    ConnectionGuard connections = new ConnectionGuard(vertx, config.api());
    this.router = router;
    return vertx.executeBlocking(() -> {
          ApiGuard.warnIfExposed(config);
          guard.sessions(SessionTokens.load(config.dataDir()));
          return new Sandbox(config.worker().sandbox(), config.dataDir()).describe();
        }, false)
        .onSuccess(found -> sandbox = found)
        .compose(found -> events.start())
        .compose(v -> server.connectionHandler(connections::onConnection).requestHandler(connections.requests(router)).listen())
        .onSuccess(s -> log.info("Web chat and API on http://{}:{}", config.api().bind(), s.actualPort()));
  }

  /** Every route this API serves, in order (a test walks them to prove each is guarded). */
  public List<Route> routes() {
    return router.getRoutes();
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  private void metrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
  }

  private void status(RoutingContext ctx) {
    JsonArray agents = new JsonArray();
    for (AgentConfig a : config.agents()) {
      agents.add(new JsonObject().put("id", a.id()).put("name", a.name()).put("model", a.routing().channel()));
    }
    JsonObject status = new JsonObject()
        .put("pid", ProcessHandle.current().pid())
        .put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
        .put("version", Version.get())
        .put("port", server.actualPort())
        .put("agents", agents)
        .put("event_clients", events.clientCount())
        .put("accepting", intake.isOpen());
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(2000);
    Future<JsonObject> channels = vertx.eventBus().<JsonObject>request(Addresses.CHANNEL_STATUS, new JsonObject(), quick)
        .map(m -> m.body());
    Future<JsonArray> processes = vertx.eventBus().<JsonObject>request(Addresses.CORTEX_PROCESSES, new JsonObject(), quick)
        .map(m -> m.body().getJsonArray("processes", new JsonArray()));
    Future.join(channels, processes).onComplete(ar -> {
      JsonObject c = channels.succeeded() ? channels.result() : new JsonObject();
      JsonArray p = processes.succeeded() ? processes.result() : new JsonArray();
      long workers = p.stream().map(JsonObject.class::cast).filter(x -> "worker".equals(x.getString("kind"))).count();
      json(ctx, 200, status.put("channels", c.getInteger("channels")).put("busy_channels", c.getInteger("busy"))
          .put("workers", workers).put("branches", p.size() - workers).put("processes", p));
    });
  }

  /** Conversations from the transcript, each with the branches and workers the cortex sees running for it. */
  private void channels(RoutingContext ctx) {
    String agentId = ctx.request().getParam("agent_id");
    if (agentId != null) {
      agent(agentId, "agent_id");
    }
    JsonObject ask = agentId == null ? new JsonObject() : new JsonObject().put("agent_id", agentId);
    var bus = vertx.eventBus();
    Future<JsonArray> listed = bus.<JsonObject>request(Addresses.CHANNEL_LIST, ask, ASK)
        .map(m -> m.body().getJsonArray("channels"));
    Future<JsonArray> running = processTable(ask);
    Future.join(listed, running).onComplete(ar -> {
      if (listed.failed()) {
        ApiError.send(ctx, 503, null, "the channel service is not running on any node");
        return;
      }
      JsonArray processes = running.succeeded() ? running.result() : new JsonArray();
      JsonArray out = new JsonArray();
      for (int i = 0; i < listed.result().size(); i++) {
        JsonObject c = listed.result().getJsonObject(i).copy();
        String id = c.getString("channel_id");
        JsonArray mine = new JsonArray(processes.stream().map(JsonObject.class::cast)
            .filter(p -> id.equals(p.getString("channel_id"))).toList());
        out.add(c.put("processes", mine));
      }
      json(ctx, 200, new JsonObject().put("channels", out).put("processes_known", running.succeeded()));
    });
  }

  /** Providers, models (who uses each, price) and every agent's routing, from the configuration; never a key. */
  private void models(RoutingContext ctx) {
    json(ctx, 200, ModelInventory.describe(config));
  }

  private void workers(RoutingContext ctx) {
    String agentId = agent(PortalRequests.queryParam(ctx, "agent_id"), "agent_id").id();
    processTable(new JsonObject().put("agent_id", agentId)).onComplete(ar -> {
      if (ar.failed()) {
        ApiError.send(ctx, 503, null, "the cortex is not running on any node");
        return;
      }
      JsonArray workers = new JsonArray(ar.result().stream().map(JsonObject.class::cast)
          .filter(p -> "worker".equals(p.getString("kind"))).toList());
      json(ctx, 200, new JsonObject().put("workers", workers));
    });
  }

  private void cancelProcess(RoutingContext ctx) {
    JsonObject body = PortalRequests.jsonBody(ctx);
    // agent_id is optional here (older clients send only the conversation); with it, the conversation must be its.
    String agentId = PortalRequests.optionalString(body, "agent_id", 64);
    String channel = PortalRequests.requiredString(body, "channel_id", 512);
    String processId = PortalRequests.requiredString(body, "process_id", 128);
    String channelId = agentId != null ? ConversationIds.check(channel, agent(agentId, "agent_id").id(), "channel_id")
        : ConversationIds.check(channel, config.agents().stream().map(AgentConfig::id).toList(), "channel_id");
    forward(ctx, Addresses.CORTEX_CANCEL, new JsonObject().put("channel_id", channelId).put("process_id", processId)
        .put("reason", "cancelled through the API"));
  }

  /** Pins a conversation to a model ({@code model: null} unpins): it wins over every other routing rule. */
  private void pinModel(RoutingContext ctx) {
    JsonObject body = PortalRequests.jsonBody(ctx);
    String agentId = agent(PortalRequests.requiredString(body, "agent_id", 64), "agent_id").id();
    String channelId = ConversationIds.check(PortalRequests.requiredString(body, "channel_id", 512), agentId, "channel_id");
    String model = PortalRequests.optionalString(body, "model", 256);
    if (model != null) {
      int slash = model.indexOf('/');
      if (slash <= 0 || slash == model.length() - 1) {
        throw ApiError.badRequest("model", "model must be provider/model, e.g. openai/gpt-4.1-mini");
      }
      String provider = model.substring(0, slash);
      if (!config.llm().providers().containsKey(provider)) {
        throw ApiError.badRequest("model", "provider \"" + provider + "\" is not configured; configured: "
            + String.join(", ", config.llm().providers().keySet()));
      }
    }
    forward(ctx, Addresses.CHANNEL_MODEL, new JsonObject().put("channel_id", channelId).put("agent_id", agentId)
        .put("model", model));
  }

  private Future<JsonArray> processTable(JsonObject ask) {
    return vertx.eventBus().<JsonObject>request(Addresses.CORTEX_PROCESSES, ask, ASK)
        .map(m -> m.body().getJsonArray("processes", new JsonArray()));
  }

  private void saveMemory(RoutingContext ctx) {
    JsonObject body = PortalRequests.jsonBody(ctx);
    String agentId = agent(PortalRequests.requiredString(body, "agent_id", 64), "agent_id").id();
    forward(ctx, Addresses.MEMORY_SAVE, MemoryRequests.memory(body, "", config.api().maxMessageBytes()).put("agent_id", agentId));
  }

  /** A batch of up to 1000 memories, embedded in one call and saved in one transaction. */
  private void importMemories(RoutingContext ctx) {
    JsonObject body = PortalRequests.jsonBody(ctx);
    String agentId = agent(PortalRequests.requiredString(body, "agent_id", 64), "agent_id").id();
    JsonArray memories = MemoryRequests.batch(body, config.api().maxMessageBytes());
    forward(ctx, Addresses.MEMORY_IMPORT, new JsonObject().put("agent_id", agentId).put("memories", memories), LONG_ASK);
  }

  /**
   * Re-embeds and reindexes an agent's memories, answering with a stream of NDJSON lines: progress
   * {@code {"done","total"}} per batch, then {@code {"reindexed": n}} (or {@code {"error": ...}}).
   */
  private void reindexMemories(RoutingContext ctx) {
    String agentId = agent(PortalRequests.queryParam(ctx, "agent_id"), "agent_id").id();
    String progressAddress = Addresses.memoryProgress(UUID.randomUUID().toString());
    var response = ctx.response().setChunked(true).putHeader("Content-Type", "application/x-ndjson");
    var progress = vertx.eventBus().<JsonObject>consumer(progressAddress, m -> {
      if (!response.ended() && !response.closed()) {
        response.write(m.body().encode() + "\n");
      }
    });
    progress.completion().onComplete(registered -> vertx.eventBus().<JsonObject>request(Addresses.MEMORY_REINDEX,
            new JsonObject().put("agent_id", agentId).put("progress_address", progressAddress), LONG_ASK)
        .onComplete(ar -> {
          progress.unregister();
          if (response.ended() || response.closed()) {
            return;
          }
          JsonObject last = ar.succeeded() ? ar.result().body()
              : new JsonObject().put("error", ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
                  ? "the memory service is not running on any node" : "reindex failed; see the server log");
          response.end(last.encode() + "\n");
        }));
  }

  /** Runs maintenance passes now (the Cortex runs them on its schedule). */
  private void maintainMemories(RoutingContext ctx) {
    JsonObject body = PortalRequests.jsonBody(ctx);
    String agentId = agent(PortalRequests.requiredString(body, "agent_id", 64), "agent_id").id();
    forward(ctx, Addresses.MEMORY_MAINTAIN, new JsonObject().put("agent_id", agentId).put("passes", MemoryRequests.passes(body)),
        LONG_ASK);
  }

  private void listMemories(RoutingContext ctx) {
    JsonObject ask = new JsonObject().put("agent_id", agent(PortalRequests.queryParam(ctx, "agent_id"), "agent_id").id())
        .put("limit", PortalRequests.intParam(ctx, "limit", 50, 1, 1000))
        .put("offset", PortalRequests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE));
    putIfPresent(ctx, ask, "memory_type");
    forward(ctx, Addresses.MEMORY_LIST, ask);
  }

  private void searchMemories(RoutingContext ctx) {
    JsonObject ask = new JsonObject().put("agent_id", agent(PortalRequests.queryParam(ctx, "agent_id"), "agent_id").id())
        .put("limit", PortalRequests.intParam(ctx, "limit", 10, 1, 100));
    putIfPresent(ctx, ask, "query");
    putIfPresent(ctx, ask, "mode");
    putIfPresent(ctx, ask, "memory_type");
    forward(ctx, Addresses.MEMORY_SEARCH, ask);
  }

  private void memoryGraph(RoutingContext ctx) {
    JsonObject ask = new JsonObject().put("agent_id", agent(PortalRequests.queryParam(ctx, "agent_id"), "agent_id").id())
        .put("id", PortalRequests.queryParam(ctx, "id"))
        .put("depth", PortalRequests.intParam(ctx, "depth", 1, 1, 3));
    forward(ctx, Addresses.MEMORY_GRAPH, ask);
  }

  private void forgetMemory(RoutingContext ctx) {
    forward(ctx, Addresses.MEMORY_FORGET, new JsonObject().put("id", ctx.pathParam("id")));
  }

  /** Calls, tokens and cost of an agent between from and to (default today), grouped by model, day or process. */
  private void usage(RoutingContext ctx) {
    AgentConfig agent = agent(PortalRequests.queryParam(ctx, "agent_id"), "agent_id");
    forward(ctx, Addresses.USAGE_QUERY, UsageRequests.query(ctx, agent, System.currentTimeMillis()));
  }

  /** An operator raises or lowers an agent's daily caps; answers with the effective budget. */
  private void setBudget(RoutingContext ctx) {
    JsonObject body = PortalRequests.jsonBody(ctx);
    String agentId = agent(PortalRequests.requiredString(body, "agent_id", 64), "agent_id").id();
    forward(ctx, Addresses.BUDGET_SET, UsageRequests.budget(body).put("agent_id", agentId));
  }

  private static void putIfPresent(RoutingContext ctx, JsonObject ask, String name) {
    String value = ctx.request().getParam(name);
    if (value != null && !value.isBlank()) {
      ask.put(name, value);
    }
  }

  /** Asks a bus service and answers with its reply; its 400 failures become 400s. */
  private void forward(RoutingContext ctx, String address, JsonObject ask) {
    Replies.forward(vertx, ctx, address, ask, Replies.ASK);
  }

  private void forward(RoutingContext ctx, String address, JsonObject ask, DeliveryOptions options) {
    Replies.forward(vertx, ctx, address, ask, options);
  }

  private AgentConfig agent(String id, String field) {
    return PortalRequests.agent(config, id, field);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    Replies.json(ctx, status, body);
  }
}
