package ai.spacebot.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The REST side of the Discord peer, under {@code /api/v10}: what a bot calls (its user, the gateway, messages with
 * embeds, components, polls, replies and files, typing, DMs, reactions, threads, application commands, interaction
 * callbacks and their webhook messages), checked like Discord checks them (token, known channel, 2000 characters,
 * no empty message) and answered with Discord's objects. Any other route answers 404 and is recorded as unhandled.
 * Faults queued on the peer answer a call instead of doing it.
 */
final class DiscordRest {
  static final int MAX_CONTENT = 2000;

  private final DiscordPeer peer;
  private final Path uploads;

  DiscordRest(DiscordPeer peer, Path uploads) {
    this.peer = peer;
    this.uploads = uploads;
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/attachments/:id/:name").handler(this::attachment);
    router.route("/api/v10/*").handler(BodyHandler.create().setUploadsDirectory(uploads.toString())
        .setDeleteUploadedFilesOnEnd(false));
    router.route("/api/v10/*").handler(this::authorised);
    router.get("/api/v10/users/@me").handler(ctx -> json(ctx, 200, peer.selfUser()));
    router.get("/api/v10/gateway").handler(ctx -> json(ctx, 200, new JsonObject().put("url", peer.gatewayUrl())));
    router.get("/api/v10/gateway/bot").handler(ctx -> json(ctx, 200, new JsonObject().put("url", peer.gatewayUrl())
        .put("shards", peer.recommendedShards()).put("session_start_limit", new JsonObject().put("total", 1000)
            .put("remaining", 999).put("reset_after", 0).put("max_concurrency", 1))));
    router.post("/api/v10/users/@me/channels").handler(this::openDm);
    router.post("/api/v10/channels/:channel/messages").handler(ctx -> faulted(ctx, "messages", this::createMessage));
    router.post("/api/v10/channels/:channel/typing").handler(ctx -> faulted(ctx, "typing", this::typing));
    router.put("/api/v10/channels/:channel/messages/:message/reactions/:emoji/@me")
        .handler(ctx -> faulted(ctx, "reactions", this::react));
    router.post("/api/v10/channels/:channel/messages/:message/threads")
        .handler(ctx -> faulted(ctx, "threads", this::openThread));
    router.post("/api/v10/channels/:channel/threads").handler(ctx -> faulted(ctx, "threads", this::openThread));
    router.put("/api/v10/applications/:app/commands").handler(this::commands);
    router.post("/api/v10/interactions/:id/:token/callback").handler(this::callback);
    router.patch("/api/v10/webhooks/:app/:token/messages/@original")
        .handler(ctx -> faulted(ctx, "messages", c -> interactionMessage(c, true)));
    router.post("/api/v10/webhooks/:app/:token").handler(ctx -> faulted(ctx, "messages",
        c -> interactionMessage(c, false)));
    router.route().handler(ctx -> {
      peer.unhandled(ctx.request().method() + " " + ctx.request().uri());
      json(ctx, 404, DiscordJson.error(0, "404: Not Found"));
    });
    return router;
  }

  private void authorised(RoutingContext ctx) {
    if (!("Bot " + peer.token()).equals(ctx.request().getHeader("Authorization"))) {
      json(ctx, 401, DiscordJson.error(0, "401: Unauthorized"));
      return;
    }
    ctx.next();
  }

  private static final String LOST_ANSWER = "discord.lost-answer";

  private void faulted(RoutingContext ctx, String route, java.util.function.Consumer<RoutingContext> handler) {
    DiscordFault fault = peer.nextFault(route);
    if (fault == null) {
      handler.accept(ctx);
      return;
    }
    if (fault.afterDoing()) {
      ctx.put(LOST_ANSWER, fault);
      handler.accept(ctx);
      return;
    }
    if (fault.status() == 429) {
      String after = String.valueOf(fault.retryAfterSeconds());
      ctx.response().putHeader("Retry-After", String.valueOf((int) Math.ceil(fault.retryAfterSeconds())))
          .putHeader("X-RateLimit-Limit", "5").putHeader("X-RateLimit-Remaining", "0")
          .putHeader("X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000.0
              + fault.retryAfterSeconds()))
          .putHeader("X-RateLimit-Reset-After", after).putHeader("X-RateLimit-Bucket", "peer-" + route)
          .putHeader("X-RateLimit-Scope", "user").putHeader("via", "1.1 google");
    }
    json(ctx, fault.status(), fault.body());
  }

  private void openDm(RoutingContext ctx) {
    // JDA sends the snowflake as a JSON number; Discord takes either. Prism, in between, re-encodes the body in
    // JavaScript, where a number that large loses its last digits: the user is found by the number as a double.
    Object given = body(ctx).getValue("recipient_id");
    String user = given instanceof Number n ? peer.userByNumber(n.doubleValue())
        : given == null ? null : String.valueOf(given);
    if (user == null || peer.knownUser(user) == null) {
      json(ctx, 400, DiscordJson.error(50033, "Invalid Recipient(s)"));
      return;
    }
    json(ctx, 200, peer.dmChannel(user));
  }

  private void createMessage(RoutingContext ctx) {
    String channel = ctx.pathParam("channel");
    if (!peer.channelExists(channel)) {
      json(ctx, 404, DiscordJson.error(10003, "Unknown Channel"));
      return;
    }
    JsonObject payload = payload(ctx);
    List<String> files = files(ctx);
    String content = payload.getString("content", "");
    if (content.length() > MAX_CONTENT) {
      json(ctx, 400, invalidForm("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."));
      return;
    }
    JsonArray embeds = payload.getJsonArray("embeds", new JsonArray());
    if (content.isBlank() && embeds.isEmpty() && files.isEmpty() && payload.getJsonObject("poll") == null
        && payload.getJsonArray("components", new JsonArray()).isEmpty()) {
      json(ctx, 400, DiscordJson.error(50006, "Cannot send an empty message"));
      return;
    }
    JsonObject reference = payload.getJsonObject("message_reference");
    if (reference != null && reference.getString("message_id") != null
        && peer.message(reference.getString("message_id")) == null
        && reference.getBoolean("fail_if_not_exists", true)) {
      json(ctx, 400, invalidForm("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"));
      return;
    }
    // As Discord does with enforce_nonce: the same nonce from the same author within minutes returns the message
    // made the first time instead of making another.
    String nonce = payload.getBoolean("enforce_nonce", false) ? payload.getString("nonce") : null;
    JsonObject earlier = nonce == null ? null : peer.messageByNonce(channel, nonce);
    if (earlier != null) {
      json(ctx, 200, earlier);
      return;
    }
    JsonObject made = peer.recordBotMessage(channel, payload, files, "message");
    if (nonce != null) {
      peer.rememberNonce(channel, nonce, made);
    }
    json(ctx, 200, made);
  }

  private void interactionMessage(RoutingContext ctx, boolean original) {
    String channel = peer.interactionChannel(ctx.pathParam("token"));
    if (channel == null) {
      json(ctx, 404, DiscordJson.error(10015, "Unknown Webhook"));
      return;
    }
    json(ctx, 200, peer.recordBotMessage(channel, payload(ctx), files(ctx), original ? "interaction" : "followup"));
  }

  private void typing(RoutingContext ctx) {
    String channel = ctx.pathParam("channel");
    if (!peer.channelExists(channel)) {
      json(ctx, 404, DiscordJson.error(10003, "Unknown Channel"));
      return;
    }
    peer.recordTyping(channel);
    ctx.response().setStatusCode(204).end();
  }

  private void react(RoutingContext ctx) {
    String message = ctx.pathParam("message");
    if (peer.message(message) == null) {
      json(ctx, 404, DiscordJson.error(10008, "Unknown Message"));
      return;
    }
    peer.recordReaction(ctx.pathParam("channel"), message, ctx.pathParam("emoji"));
    ctx.response().setStatusCode(204).end();
  }

  private void openThread(RoutingContext ctx) {
    String channel = ctx.pathParam("channel");
    String name = body(ctx).getString("name", "");
    if (!peer.channelExists(channel)) {
      json(ctx, 404, DiscordJson.error(10003, "Unknown Channel"));
    } else if (name.isBlank() || name.length() > 100) {
      json(ctx, 400, invalidForm("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."));
    } else {
      json(ctx, 201, peer.openThread(channel, ctx.pathParam("message"), name));
    }
  }

  private void commands(RoutingContext ctx) {
    JsonArray given = new JsonArray(ctx.body().asString());
    JsonArray answered = new JsonArray();
    for (Object o : given) {
      JsonObject c = ((JsonObject) o).copy();
      answered.add(c.put("id", DiscordJson.snowflake()).put("application_id", peer.applicationId())
          .put("version", DiscordJson.snowflake()).put("type", c.getInteger("type", 1))
          .put("default_member_permissions", c.getValue("default_member_permissions"))
          .put("description", c.getString("description", "")).put("dm_permission", true).put("nsfw", false)
          .put("integration_types", new JsonArray().add(0)).put("contexts", null));
    }
    peer.recordCommands(answered);
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(answered.encode());
  }

  private void callback(RoutingContext ctx) {
    if (!peer.recordCallback(ctx.pathParam("id"), ctx.pathParam("token"), body(ctx))) {
      json(ctx, 404, DiscordJson.error(10062, "Unknown interaction"));
      return;
    }
    ctx.response().setStatusCode(204).end();
  }

  private void attachment(RoutingContext ctx) {
    byte[] bytes = peer.attachmentBytes(ctx.pathParam("id"));
    if (bytes == null) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    ctx.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(bytes));
  }

  /** The JSON body, or {@code payload_json} of a multipart body (a message with files). */
  private static JsonObject payload(RoutingContext ctx) {
    String json = ctx.request().getFormAttribute("payload_json");
    return json != null ? new JsonObject(json) : body(ctx);
  }

  private static JsonObject body(RoutingContext ctx) {
    String raw = ctx.body() == null ? null : ctx.body().asString();
    return raw == null || raw.isBlank() || !raw.strip().startsWith("{") ? new JsonObject() : new JsonObject(raw);
  }

  /** Names and contents of uploaded files, as "name:size". */
  private static List<String> files(RoutingContext ctx) {
    List<String> names = new ArrayList<>();
    for (FileUpload f : ctx.fileUploads()) {
      try {
        names.add(f.fileName() + ":" + Files.size(Path.of(f.uploadedFileName())));
      } catch (java.io.IOException e) {
        names.add(f.fileName() + ":?");
      }
    }
    return names;
  }

  private static JsonObject invalidForm(String field, String code, String message) {
    return DiscordJson.error(50035, "Invalid Form Body").put("errors", new JsonObject().put(field,
        new JsonObject().put("_errors", new JsonArray().add(new JsonObject().put("code", code)
            .put("message", message)))));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    DiscordFault lost = ctx.get(LOST_ANSWER);
    if (lost != null && status < 300) {
      ctx.response().setStatusCode(lost.status()).putHeader("Content-Type", "application/json")
          .end(lost.body().encode());
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
