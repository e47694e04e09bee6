package ai.spacebot.testkit;

import ai.spacebot.testkit.TelegramPeer.BotCall;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP server a bot uses as its Bot API base URL: {@code /bot<token>/<method>} (any case, GET or POST, query,
 * JSON, form or multipart) and {@code /file/bot<token>/<file_path>}. It owns getUpdates (real long polling over its
 * own queue), the webhook methods, token checks, fault injection and the call record; everything else goes to
 * {@link TelegramBotApi}. All request handling runs on one event loop.
 */
final class TelegramShim {
  private static final Pattern API = Pattern.compile("^/bot([^/]+)/(?:test/)?([A-Za-z]+)/?$");
  private static final Pattern FILE = Pattern.compile("^/file/bot([^/]+)/(.+)$");

  private final Vertx vertx;
  private final Context context;
  private final String token;
  private final TelegramWorld world;
  private final TelegramUpdates updates;
  private final TelegramFaults faults;
  private final TelegramBotApi api;
  private final TelegramWebhook webhook;
  private final HttpClient emulatorHttp;
  private final int emulatorPort;
  private final Router router;
  private final int port;
  private final Path uploads;
  private final AtomicInteger droppedPolls = new AtomicInteger();
  private HttpServer server;
  private LongPoll held;

  private record LongPoll(RoutingContext ctx, int limit, long timer) {}

  TelegramShim(Vertx vertx, String token, TelegramWorld world, TelegramUpdates updates, TelegramFaults faults,
               int emulatorPort, java.util.function.BooleanSupplier privacy) throws java.io.IOException {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.token = token;
    this.world = world;
    this.updates = updates;
    this.faults = faults;
    this.emulatorPort = emulatorPort;
    this.emulatorHttp = vertx.createHttpClient();
    this.api = new TelegramBotApi(world, this::emulator, privacy);
    this.webhook = new TelegramWebhook(vertx, context, updates);
    this.port = TestApp.freePort();
    this.uploads = Files.createTempDirectory("telegram-peer-uploads");
    this.router = Router.router(vertx);
    router.route().handler(BodyHandler.create(uploads.toString()).setBodyLimit(60L * 1024 * 1024)
        .setDeleteUploadedFilesOnEnd(true));
    router.route().handler(this::handle);
    updates.onAdded(() -> context.runOnContext(v -> {
      wakeHeldPoll();
      webhook.kick();
    }));
  }

  int port() {
    return port;
  }

  int droppedPolls() {
    return droppedPolls.get();
  }

  /** Starts listening (again) on the same port. Blocks; call from a test thread. */
  void serve() {
    try {
      Future<HttpServer> started = Future.<HttpServer>future(p -> context.runOnContext(v ->
          vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
              .setHttp2ClearTextEnabled(false)).requestHandler(router).listen().onComplete(p)));
      server = started.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the Telegram shim could not listen on 127.0.0.1:" + port, e);
    }
  }

  /** Closes the port and every open connection (a held long poll too): the bot sees refused connections. */
  void stopServing() {
    HttpServer current = server;
    server = null;
    if (current == null) {
      return;
    }
    try {
      Future.<Void>future(p -> context.runOnContext(v -> {
        if (held != null) {
          vertx.cancelTimer(held.timer());
          held = null;
        }
        current.close().onComplete(p);
      })).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the Telegram shim did not stop", e);
    }
  }

  private void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    Matcher file = FILE.matcher(path);
    if (file.matches() && ctx.request().method() == HttpMethod.GET) {
      download(ctx, file.group(1), file.group(2));
      return;
    }
    Matcher m = API.matcher(path);
    if (!m.matches()) {
      reply(ctx, 404, TelegramFault.body(404, "Not Found"));
      return;
    }
    params(ctx).onComplete(ar -> {
      if (ar.failed()) {
        TelegramApiError e = ar.cause() instanceof TelegramApiError t ? t : TelegramApiError.badRequest(ar.cause().getMessage());
        reply(ctx, e.code, TelegramFault.body(e.code, e.getMessage()));
        return;
      }
      dispatch(ctx, m.group(1), m.group(2), ar.result());
    });
  }

  private void dispatch(RoutingContext ctx, String callToken, String method, TelegramParams p) {
    String canonical = canonical(method);
    world.recordCall(new BotCall(canonical == null ? method : canonical, describe(p), Instant.now()));
    if (!token.equals(callToken)) {
      reply(ctx, 401, TelegramFault.body(401, "Unauthorized"));
      return;
    }
    if (canonical == null) {
      System.err.println("TelegramPeer: the bot called " + method + ", which the peer does not emulate");
      reply(ctx, 404, TelegramFault.body(404, "Not Found"));
      return;
    }
    TelegramFault fault = faults.take(canonical).orElse(null);
    if (fault != null) {
      ctx.response().setStatusCode(fault.status()).putHeader("content-type", fault.contentType()).end(fault.body());
      return;
    }
    try {
      switch (canonical) {
        case "getUpdates" -> getUpdates(ctx, p);
        case "setWebhook" -> setWebhook(ctx, p);
        case "deleteWebhook" -> {
          boolean was = webhook.active();
          webhook.delete();
          if (p.flag("drop_pending_updates")) {
            updates.dropPending();
          }
          ok(ctx, true, was ? "Webhook was deleted" : "Webhook is already deleted");
        }
        case "getWebhookInfo" -> ok(ctx, webhook.info(), null);
        default -> api.call(canonical, p).onComplete(ar -> {
          if (ar.succeeded()) {
            ok(ctx, ar.result(), null);
          } else if (ar.cause() instanceof TelegramApiError e) {
            reply(ctx, e.code, TelegramFault.body(e.code, e.getMessage()));
          } else {
            reply(ctx, 500, TelegramFault.body(500, "Internal Server Error: " + ar.cause()));
          }
        });
      }
    } catch (TelegramApiError e) {
      reply(ctx, e.code, TelegramFault.body(e.code, e.getMessage()));
    }
  }

  private String canonical(String method) {
    for (String own : List.of("getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo")) {
      if (own.equalsIgnoreCase(method)) {
        return own;
      }
    }
    return api.canonical(method);
  }

  // ---- getUpdates: long polling over the shim's own queue

  private void getUpdates(RoutingContext ctx, TelegramParams p) throws TelegramApiError {
    if (webhook.active()) {
      throw new TelegramApiError(409, "Conflict: can't use getUpdates method while webhook is active;"
          + " use deleteWebhook to delete the webhook first");
    }
    if (held != null) {
      LongPoll old = held;
      held = null;
      vertx.cancelTimer(old.timer());
      reply(old.ctx(), 409, TelegramFault.body(409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    }
    Integer limit = p.integer("limit");
    int max = limit == null || limit < 1 || limit > 100 ? 100 : limit;
    Long timeout = p.number("timeout");
    long seconds = timeout == null ? 0 : Math.max(0, Math.min(timeout, 100));
    JsonArray ready = updates.take(p.integer("offset"), max, p.has("allowed_updates") ? p.array("allowed_updates") : null);
    if (faults.takeDrop()) {
      // a proxy or NAT cutting a long poll: the bot gets no answer and a closed connection, and nothing is confirmed
      vertx.setTimer(150, t -> {
        droppedPolls.incrementAndGet();
        ctx.request().connection().close();
      });
      return;
    }
    if (!ready.isEmpty() || seconds == 0) {
      ok(ctx, ready, null);
      return;
    }
    long timer = vertx.setTimer(seconds * 1000, t -> {
      if (held != null && held.ctx() == ctx) {
        held = null;
        ok(ctx, updates.take(null, max, null), null);
      }
    });
    LongPoll poll = new LongPoll(ctx, max, timer);
    held = poll;
    ctx.response().closeHandler(v -> {
      if (held == poll) {
        vertx.cancelTimer(timer);
        held = null;
      }
    });
  }

  private void wakeHeldPoll() {
    if (held == null || !updates.hasDeliverable()) {
      return;
    }
    LongPoll poll = held;
    held = null;
    vertx.cancelTimer(poll.timer());
    ok(poll.ctx(), updates.take(null, poll.limit(), null), null);
  }

  private void setWebhook(RoutingContext ctx, TelegramParams p) throws TelegramApiError {
    String url = p.string("url");
    if (url == null || url.isBlank()) {
      webhook.delete();
      ok(ctx, true, "Webhook was deleted");
      return;
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw TelegramApiError.badRequest("bad webhook: Failed to resolve host: Name or service not known");
    }
    // Telegram demands https on ports 443/80/88/8443; a local test peer has to allow http on any port.
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
      throw TelegramApiError.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    String secret = p.string("secret_token");
    if (secret != null && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
      throw TelegramApiError.badRequest("secret token contains unallowed characters");
    }
    Integer max = p.integer("max_connections");
    if (p.flag("drop_pending_updates")) {
      updates.dropPending();
    }
    webhook.set(url, secret, p.array("allowed_updates"), max == null ? 40 : max);
    ok(ctx, true, "Webhook was set");
  }

  // ---- files

  private void download(RoutingContext ctx, String callToken, String filePath) {
    world.recordCall(new BotCall("file", new JsonObject().put("file_path", filePath), Instant.now()));
    if (!token.equals(callToken)) {
      reply(ctx, 401, TelegramFault.body(401, "Unauthorized"));
      return;
    }
    world.fileByPath(filePath).ifPresentOrElse(
        f -> ctx.response().putHeader("content-type", "application/octet-stream").end(Buffer.buffer(f.bytes())),
        () -> reply(ctx, 404, TelegramFault.body(404, "Not Found")));
  }

  // ---- plumbing

  /** Query parameters, then the body (JSON, form or multipart with files), as one parameter set. */
  private Future<TelegramParams> params(RoutingContext ctx) {
    JsonObject json = new JsonObject();
    ctx.queryParams().forEach(e -> json.put(e.getKey(), e.getValue()));
    String type = ctx.request().getHeader("content-type");
    if (type != null && type.toLowerCase().contains("json") && ctx.body().length() > 0) {
      try {
        json.mergeIn(ctx.body().asJsonObject());
      } catch (DecodeException | ClassCastException e) {
        return Future.failedFuture(TelegramApiError.badRequest("can't parse request JSON object"));
      }
    } else {
      MultiMap form = ctx.request().formAttributes();
      form.forEach(e -> json.put(e.getKey(), e.getValue()));
    }
    List<Future<Buffer>> reads = new ArrayList<>();
    List<FileUpload> uploaded = ctx.fileUploads();
    for (FileUpload upload : uploaded) {
      reads.add(vertx.fileSystem().readFile(upload.uploadedFileName()));
    }
    return Future.all(reads).compose(all -> {
      Map<String, TelegramParams.Upload> files = new HashMap<>();
      for (int i = 0; i < uploaded.size(); i++) {
        FileUpload u = uploaded.get(i);
        files.put(u.name(), new TelegramParams.Upload(u.fileName(), u.contentType(), all.<Buffer>resultAt(i).getBytes()));
      }
      try {
        return Future.succeededFuture(TelegramParams.of(json, files));
      } catch (TelegramApiError e) {
        return Future.failedFuture(e);
      }
    });
  }

  private static JsonObject describe(TelegramParams p) {
    JsonObject d = p.json().copy();
    p.files().forEach((name, f) -> d.put(name, new JsonObject().put("file_name", f.fileName())
        .put("content_type", f.contentType()).put("size", f.bytes().length)));
    return d;
  }

  /** A bot route of the emulator; its answer's {@code date} values are repaired by the caller. */
  private Future<JsonObject> emulator(String method, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(emulatorPort)
        .setURI("/bot" + token + "/" + method).putHeader("content-type", "application/json");
    return emulatorHttp.request(options).compose(req -> req.send(body.encode())).compose(res -> res.body().map(b -> {
      if (res.statusCode() != 200) {
        throw new IllegalStateException("telegram-test-api " + method + " answered " + res.statusCode() + ": " + b);
      }
      return b.toJsonObject();
    }));
  }

  /** telegram-test-api's dates are milliseconds; the Bot API's are Unix seconds. */
  static long seconds(Long date) {
    if (date == null) {
      return Instant.now().getEpochSecond();
    }
    return date > 100_000_000_000L ? date / 1000 : date;
  }

  private static void ok(RoutingContext ctx, Object result, String description) {
    JsonObject body = new JsonObject().put("ok", true).put("result", result);
    if (description != null) {
      body.put("description", description);
    }
    reply(ctx, 200, body.encode());
  }

  private static void reply(RoutingContext ctx, int status, String body) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }
  }

  void close() {
    stopServing();
    webhook.close();
    emulatorHttp.close();
    try (var files = Files.walk(uploads)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (java.io.IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
