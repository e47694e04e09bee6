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
 * npm {@code telegram-test-api} (4.2.1) as a node child process on a free port of 127.0.0.1. The package has no
 * CLI, so a one-line script starts it. Missing, it fails the test with the install hint (tests never skip).
 */
final class TelegramEmulator implements AutoCloseable {
  private static final Path MODULE = Path.of(".cache", "test-peers", "node_modules", "telegram-test-api");

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TelegramEmulator(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static TelegramEmulator start() throws IOException, InterruptedException {
    Path module = Path.of(System.getProperty("user.dir")).resolve(MODULE);
    if (!Files.isRegularFile(module.resolve("package.json"))) {
      throw new AssertionError("telegram-test-api is not installed (" + module + " is missing): " + Aimock.INSTALL_HINT);
    }
    int port = TestApp.freePort();
    Path log = Files.createTempFile("telegram-test-api", ".log");
    String script = "const T=require(" + jsString(module.toString()) + ");new T({port:" + port + ",host:'127.0.0.1',storage:'RAM',storeTimeout:60}).start()"
        + ".catch(e=>{console.error(e);process.exit(1)})";
    Process process;
    try {
      process = new ProcessBuilder("node", "-e", script).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run node for telegram-test-api (" + e.getMessage() + "): " + Aimock.INSTALL_HINT, e);
    }
    TelegramEmulator emulator = new TelegramEmulator(process, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("telegram-test-api exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        emulator.post("/bot1:probe/getMe", new JsonObject());
        return emulator;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    emulator.close();
    throw new AssertionError("telegram-test-api did not answer within 20 s: " + Files.readString(log));
  }

  private static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** A blocking POST of JSON; the emulator answers JSON for every route. */
  JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("telegram-test-api " + path + " answered " + res.statusCode() + ": " + res.body());
    }
    return new JsonObject(res.body());
  }

  String logText() throws IOException {
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
