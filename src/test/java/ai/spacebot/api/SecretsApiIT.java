package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.secrets.MasterKey;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code /api/secrets} over real HTTP against the real application: operator-only, values only when revealed. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsApiIT {
  private static final String TOKEN = "operator-token-for-secrets";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ScriptedModelServer model;
  private static TestApp app;
  private static Path dataDir;

  record Answer(int status, JsonObject json, String body) {}

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    Map<String, String> env = new java.util.HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_AUTH_TOKEN", TOKEN);
    dataDir = Files.createTempDirectory("spacebot-secrets-api");
    app = TestApp.start(env, dataDir, null, null);
  }

  @AfterAll
  static void stop() {
    app.close();
    model.close();
  }

  private static Answer call(String method, String path, String body, boolean authorized) throws Exception {
    return call(method, path, body, authorized, null).join();
  }

  private static CompletableFuture<Answer> call(String method, String path, String body, boolean authorized, Object async) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(app.url(path))).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (authorized) {
      req.header("Authorization", "Bearer " + TOKEN);
    }
    return CLIENT.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      JsonObject json;
      try {
        json = new JsonObject(r.body());
      } catch (RuntimeException e) {
        json = null;
      }
      return new Answer(r.statusCode(), json, r.body());
    });
  }

  private static Answer op(String method, String path, String body) throws Exception {
    return call(method, path, body, true);
  }

  @Test
  @Order(1)
  void everyRouteNeedsTheOperatorToken() throws Exception {
    for (String[] route : new String[][] {{"GET", "/api/secrets"}, {"GET", "/api/secrets/status"}, {"PUT", "/api/secrets/X"},
        {"POST", "/api/secrets/X/reveal"}, {"DELETE", "/api/secrets/X"}, {"POST", "/api/secrets/unlock"}}) {
      Answer a = call(route[0], route[1], "{}", false);
      assertThat(a.status()).as(route[0] + " " + route[1]).isEqualTo(401);
      assertThat(a.json()).isEqualTo(new JsonObject().put("error", "unauthorized"));
    }
  }

  @Test
  @Order(2)
  void badInputIsA400NamingTheField() throws Exception {
    Answer badName = op("PUT", "/api/secrets/lower-case", "{\"value\":\"abc\"}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().getString("field")).isEqualTo("name");
    assertThat(badName.json().getString("error")).startsWith("a secret name is 1 to 64 upper-case letters");
    Answer noValue = op("PUT", "/api/secrets/GOOD_NAME", "{\"category\":\"tool\"}");
    assertThat(noValue.status()).isEqualTo(400);
    assertThat(noValue.json()).isEqualTo(new JsonObject().put("error", "value must be a non-empty string").put("field", "value"));
    Answer badCategory = op("PUT", "/api/secrets/GOOD_NAME", "{\"value\":\"v\",\"category\":\"admin\"}");
    assertThat(badCategory.json()).isEqualTo(new JsonObject().put("error", "secret category must be system or tool, not 'admin'")
        .put("field", "category"));
    assertThat(op("PUT", "/api/secrets/GOOD_NAME", "{not json").json().getString("error")).isEqualTo("request body is not valid JSON");
    Answer both = op("POST", "/api/secrets/encrypt", "{\"passphrase\":\"p\",\"key_file\":\"/x\"}");
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.json().getString("error")).isEqualTo("give exactly one of passphrase or key_file");
    assertThat(op("POST", "/api/secrets/encrypt", "{\"key_file\":\"relative.key\"}").json().getString("error"))
        .isEqualTo("key_file must be an absolute path");
    assertThat(op("GET", "/api/secrets/NOT_THERE", null).status()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void setListRevealAndDeleteWhileUnencrypted() throws Exception {
    Answer set = op("PUT", "/api/secrets/GITHUB_TOKEN", "{\"value\":\"ghp_api-tool-value\",\"category\":\"tool\"}");
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.json().fieldNames()).containsExactlyInAnyOrder("name", "category", "created_at", "updated_at");
    assertThat(set.json().getString("category")).isEqualTo("tool");
    op("PUT", "/api/secrets/MODEL_KEY", "{\"value\":\"sk-api-system-value\"}");

    Answer list = op("GET", "/api/secrets", null);
    assertThat(list.body()).doesNotContain("ghp_api-tool-value").doesNotContain("sk-api-system-value");
    assertThat(list.json().getString("state")).isEqualTo("unencrypted");
    assertThat(list.json().getBoolean("encrypted")).isFalse();
    assertThat(list.json().getString("warning")).isEqualTo("values are stored unencrypted; encrypt the store with: spacebot secrets encrypt");
    assertThat(list.json().getJsonArray("secrets").stream().map(o -> ((JsonObject) o).getString("name")))
        .containsExactly("GITHUB_TOKEN", "MODEL_KEY");
    assertThat(op("GET", "/api/secrets/MODEL_KEY", null).body()).doesNotContain("sk-api-system-value").contains("\"system\"");
    Answer reveal = op("POST", "/api/secrets/MODEL_KEY/reveal", "{}");
    assertThat(reveal.json()).isEqualTo(new JsonObject().put("name", "MODEL_KEY").put("value", "sk-api-system-value"));

    op("PUT", "/api/secrets/SHORT_LIVED", "{\"value\":\"gone soon\"}");
    assertThat(op("DELETE", "/api/secrets/SHORT_LIVED", null).json()).isEqualTo(new JsonObject().put("deleted", "SHORT_LIVED"));
    Answer again = op("DELETE", "/api/secrets/SHORT_LIVED", null);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().getString("error")).isEqualTo("there is no secret named SHORT_LIVED");
  }

  @Test
  @Order(4)
  void encryptLockUnlockAndRotate() throws Exception {
    Answer encrypted = op("POST", "/api/secrets/encrypt", "{\"passphrase\":\"api passphrase one\"}");
    assertThat(encrypted.status()).isEqualTo(200);
    assertThat(encrypted.json().getString("state")).isEqualTo("unlocked");
    assertThat(encrypted.json().getString("kdf")).isEqualTo("Argon2id(m=65536 KiB, t=3, p=1)");
    assertThat(op("POST", "/api/secrets/encrypt", "{\"passphrase\":\"x\"}").status()).isEqualTo(409);

    assertThat(op("POST", "/api/secrets/lock", "{}").json().getString("state")).isEqualTo("locked");
    Answer locked = op("POST", "/api/secrets/MODEL_KEY/reveal", "{}");
    assertThat(locked.status()).isEqualTo(409);
    assertThat(locked.json().getString("error")).isEqualTo("the secret store is locked; unlock it (spacebot secrets unlock) before you read MODEL_KEY");
    assertThat(op("GET", "/api/health", null).json().getJsonObject("secrets").getString("state")).isEqualTo("locked");

    Answer wrong = op("POST", "/api/secrets/unlock", "{\"passphrase\":\"not it\"}");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.json()).isEqualTo(new JsonObject().put("error", "wrong passphrase: it does not open this secret store"));

    // The key derivation runs off the event loop: the API answers while an unlock is deriving its key.
    CompletableFuture<Answer> unlocking = call("POST", "/api/secrets/unlock", "{\"passphrase\":\"api passphrase one\"}", true, null);
    Answer health = op("GET", "/api/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(unlocking.isDone()).as("health answered before the unlock finished").isFalse();
    assertThat(unlocking.join().json().getString("state")).isEqualTo("unlocked");
    assertThat(op("POST", "/api/secrets/MODEL_KEY/reveal", "{}").json().getString("value")).isEqualTo("sk-api-system-value");

    Path loose = dataDir.resolve("loose.key");
    MasterKey.createKeyFile(loose);
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    Answer refused = op("POST", "/api/secrets/rotate", new JsonObject().put("key_file", loose.toString()).encode());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("error")).endsWith("restrict it with: chmod 600 " + loose);

    Path keyFile = dataDir.resolve("rotated.key");
    MasterKey.createKeyFile(keyFile);
    Answer rotated = op("POST", "/api/secrets/rotate", new JsonObject().put("key_file", keyFile.toString()).encode());
    assertThat(rotated.json().getString("mode")).isEqualTo("key_file");
    op("POST", "/api/secrets/lock", "{}");
    assertThat(op("POST", "/api/secrets/unlock", "{\"passphrase\":\"api passphrase one\"}").json().getString("error"))
        .isEqualTo("the secret store is encrypted with a key file, not a passphrase");
    assertThat(op("POST", "/api/secrets/unlock", new JsonObject().put("key_file", keyFile.toString()).encode()).status()).isEqualTo(200);
    assertThat(op("POST", "/api/secrets/GITHUB_TOKEN/reveal", "{}").json().getString("value")).isEqualTo("ghp_api-tool-value");
  }
}
