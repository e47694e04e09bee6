package ai.spacebot.api;

import ai.spacebot.config.ApiConfig;
import ai.spacebot.secrets.KeySource;
import ai.spacebot.secrets.MasterKey;
import ai.spacebot.secrets.SecretCategory;
import ai.spacebot.secrets.SecretCipher;
import ai.spacebot.secrets.SecretStore;
import ai.spacebot.secrets.SecretStoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * {@code /api/secrets}: the secret store for the operator. Values never leave except through the explicit
 * {@code POST /api/secrets/NAME/reveal}. The routes sit behind the API's operator check ({@code api.auth_token}); the
 * key derivation runs in the store, off the event loop.
 */
final class SecretRequests {

  private final Vertx vertx;
  private final SecretStore store;
  private final ApiConfig api;

  SecretRequests(Vertx vertx, SecretStore store, ApiConfig api) {
    this.vertx = vertx;
    this.store = store;
    this.api = api;
  }

  /** Registers the routes; call after the operator check and the body handlers, before the API's 404 fallback. */
  void register(Router router) {
    router.route("/api/secrets*").handler(ctx -> {
      if (store == null) {
        ApiError.send(ctx, 503, null, "the secret store is not open on this node");
      } else {
        ctx.next();
      }
    });
    router.get("/api/secrets").handler(ctx -> answer(ctx, store.list().map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(i -> items.add(info(i)));
      return status().put("secrets", items);
    })));
    router.get("/api/secrets/status").handler(ctx -> answer(ctx, Future.succeededFuture(status())));
    router.post("/api/secrets/encrypt").handler(ctx -> answer(ctx, store.encrypt(key(ctx)).map(s -> status())));
    router.post("/api/secrets/unlock").handler(ctx -> answer(ctx, store.unlock(key(ctx)).map(s -> status())));
    router.post("/api/secrets/lock").handler(ctx -> answer(ctx, store.lock().map(s -> status())));
    router.post("/api/secrets/rotate").handler(ctx -> answer(ctx, store.rotate(key(ctx)).map(s -> status())));
    router.get("/api/secrets/:name").handler(ctx -> answer(ctx, store.info(name(ctx)).map(SecretRequests::info)));
    router.post("/api/secrets/:name/reveal").handler(this::reveal);
    router.put("/api/secrets/:name").handler(ctx -> {
      String name = name(ctx);
      JsonObject body = PortalRequests.jsonBody(ctx);
      Object value = body.getValue("value");
      if (!(value instanceof String text) || text.isEmpty()) {
        throw ApiError.badRequest("value", "value must be a non-empty string");
      }
      SecretCategory category;
      try {
        Object given = body.getValue("category");
        if (given != null && !(given instanceof String)) {
          throw new IllegalArgumentException("secret category must be system or tool");
        }
        category = SecretCategory.parse((String) given);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("category", e.getMessage());
      }
      answer(ctx, store.set(name, category, text).map(SecretRequests::info));
    });
    router.delete("/api/secrets/:name").handler(ctx -> {
      String name = name(ctx);
      answer(ctx, store.delete(name).map(v -> new JsonObject().put("deleted", name)));
    });
  }

  private void reveal(RoutingContext ctx) {
    String name = name(ctx);
    // Without a token every local process is "the operator"; on a wider bind that is anyone who can connect.
    if (api.authToken() == null && !loopback(api.bind())) {
      throw new ApiError(403, null, "revealing a secret needs api.auth_token: the API listens on " + api.bind()
          + " without a token, so the caller cannot be told from a stranger");
    }
    answer(ctx, store.reveal(name).map(value -> new JsonObject().put("name", name).put("value", value)));
  }

  private static boolean loopback(String bind) {
    return bind.equals("127.0.0.1") || bind.equals("localhost") || bind.equals("::1") || bind.startsWith("127.");
  }

  private JsonObject status() {
    SecretStore.Status s = store.status();
    JsonObject out = new JsonObject().put("state", s.state().wireName()).put("mode", s.mode())
        .put("encrypted", s.state() != SecretStore.State.UNENCRYPTED).put("count", s.count());
    if (s.kdf() != null) {
      out.put("kdf", s.kdf());
    }
    if (s.state() == SecretStore.State.UNENCRYPTED) {
      out.put("warning", "values are stored unencrypted; encrypt the store with: spacebot secrets encrypt");
    }
    Object waiting = vertx.sharedData().getLocalMap(ApiVerticle.NODE_STATE).get(ApiVerticle.SECRETS_WAITING);
    out.put("waiting", waiting instanceof JsonArray w ? w : new JsonArray());
    return out;
  }

  /** {@code state} and the config keys that wait for it, for {@code /api/health}; null without a store. */
  JsonObject health() {
    if (store == null) {
      return null;
    }
    JsonObject s = status();
    return new JsonObject().put("state", s.getString("state")).put("waiting", s.getJsonArray("waiting"));
  }

  private static JsonObject info(SecretStore.Info i) {
    return new JsonObject().put("name", i.name()).put("category", i.category().wireName())
        .put("created_at", i.createdAt()).put("updated_at", i.updatedAt());
  }

  private static String name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || !SecretStore.NAME.matcher(name).matches()) {
      throw ApiError.badRequest("name", "a secret name is 1 to 64 upper-case letters, digits and _, starting with a "
          + "letter (like GITHUB_TOKEN)");
    }
    return name;
  }

  /** {@code {"passphrase": "..."}} or {@code {"key_file": "/path"}}: exactly one. */
  private static KeySource key(RoutingContext ctx) {
    JsonObject body = PortalRequests.jsonBody(ctx);
    Object passphrase = body.getValue("passphrase");
    Object keyFile = body.getValue("key_file");
    if ((passphrase == null) == (keyFile == null)) {
      throw ApiError.badRequest("passphrase", "give exactly one of passphrase or key_file");
    }
    if (passphrase != null) {
      if (!(passphrase instanceof String p) || p.isEmpty()) {
        throw ApiError.badRequest("passphrase", "passphrase must be a non-empty string");
      }
      return new KeySource.Passphrase(p.toCharArray());
    }
    if (!(keyFile instanceof String f) || f.isBlank() || f.indexOf('\0') >= 0 || !Path.of(f).isAbsolute()) {
      throw ApiError.badRequest("key_file", "key_file must be an absolute path");
    }
    return new KeySource.KeyFile(Path.of(f));
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      if (ar.succeeded()) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store").end(ar.result().encode());
        return;
      }
      Throwable err = ar.cause();
      if (err instanceof SecretStoreException e) {
        ApiError.send(ctx, e.kind().status, null, e.getMessage());
      } else if (err instanceof MasterKey.KeyException e) {
        ApiError.send(ctx, 400, "key_file", e.getMessage());
      } else if (err instanceof SecretCipher.UnreadableException e) {
        ApiError.send(ctx, 409, null, e.getMessage());
      } else {
        ctx.fail(err);
      }
    });
  }
}
