package ai.spacebot.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * npm {@code emulate} 0.12.2's Slack service (the Web API: chat, conversations, users, reactions, files) as a child
 * process on Node 22 (from the npm {@code node} package; emulate refuses older Nodes) on a free port of 127.0.0.1,
 * seeded from YAML (team, users, channels, user tokens, signing secret). Any bearer token is accepted; an unseeded
 * one acts as the admin user {@code U000000001}, which is the bot in these tests. Missing, it fails the test with
 * the install hint (tests never skip).
 */
public final class SlackEmulator implements AutoCloseable {
  private static final Path PEERS = Path.of(".cache", "test-peers", "node_modules");
  /** Who {@code auth.test} says an unseeded token is: the bot. */
  public static final String BOT_USER = "U000000001";
  public static final String TEAM = "T000000001";

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SlackEmulator(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static SlackEmulator start(String seedYaml) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("user.dir")).resolve(PEERS);
    Path node = root.resolve("node").resolve("bin").resolve("node");
    Path cli = root.resolve("emulate").resolve("dist").resolve("index.js");
    if (!Files.isExecutable(node) || !Files.isRegularFile(cli)) {
      throw new AssertionError("emulate or Node 22 is not installed (" + cli + ", " + node + "): " + Aimock.INSTALL_HINT);
    }
    int port = TestApp.freePort();
    Path dir = Files.createTempDirectory("slack-emulate");
    Path seed = dir.resolve("emulate.yaml");
    Files.writeString(seed, seedYaml);
    Path log = dir.resolve("emulate.log");
    Process process = new ProcessBuilder(node.toString(), cli.toString(), "start", "-s", "slack", "-p",
        String.valueOf(port), "--host", "127.0.0.1", "--seed", seed.toString()).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SlackEmulator emulator = new SlackEmulator(process, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("emulate exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        if (emulator.call("auth.test", "xoxb-probe", new JsonObject()).getBoolean("ok", false)) {
          return emulator;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    emulator.close();
    throw new AssertionError("emulate did not answer within 30 s: " + Files.readString(log));
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** A Web API method as a JSON POST with the token; the answer's JSON whatever its {@code ok}. */
  public JsonObject call(String method, String token, JsonObject params) throws IOException, InterruptedException {
    try {
      return send(method, token, params);
    } catch (IOException closedWhileIdle) {
      // Node closes an idle keep-alive connection after 5 s; a request that raced the close never reached it.
      return send(method, token, params);
    }
  }

  private JsonObject send(String method, String token, JsonObject params) throws IOException, InterruptedException {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/" + method))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json; charset=utf-8")
        .header("authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(params.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("emulate " + method + " answered " + res.statusCode() + ": " + res.body());
    }
    return new JsonObject(res.body());
  }

  /** Like {@link #call} but fails unless Slack said ok. */
  public JsonObject ok(String method, String token, JsonObject params) {
    try {
      JsonObject r = call(method, token, params);
      if (!r.getBoolean("ok", false)) {
        throw new IllegalStateException("emulate " + method + " " + params.encode() + ": " + r.encode());
      }
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("emulate " + method + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String logText() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
