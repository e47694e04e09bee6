package ai.spacebot.testkit;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * aimock ({@code @copilotkit/aimock}, an LLM protocol mock: OpenAI, Azure OpenAI, Anthropic Messages, Ollama,
 * Gemini, with SSE streaming and tool calls) started as a child process on a free port of 127.0.0.1 with a
 * fixture file. It is installed by {@code scripts/install-test-peers.sh} into {@code .cache/test-peers}; when it
 * is missing, {@link #start} fails (tests must not silently skip) and says how to install it.
 */
public final class Aimock implements AutoCloseable {
  public static final String INSTALL_HINT = "run scripts/install-test-peers.sh (needs Node >= 20.15 and npm)";
  private static final Path CLI = Path.of(".cache", "test-peers", "node_modules", "@copilotkit", "aimock", "dist", "cli.js");

  private final Process process;
  private final int port;
  private final Path log;

  private Aimock(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The project's installed CLI, looked up from the working directory (Maven runs tests in the project dir). */
  public static Path cli() {
    Path cli = Path.of(System.getProperty("user.dir")).resolve(CLI);
    if (!Files.isRegularFile(cli)) {
      throw new AssertionError("aimock is not installed (" + cli + " is missing): " + INSTALL_HINT);
    }
    return cli;
  }

  /** Starts aimock serving {@code fixturesJson} (aimock's {@code {"fixtures":[...]}} format). */
  public static Aimock start(String fixturesJson) throws IOException, InterruptedException {
    Path cli = cli();
    Path dir = Files.createTempDirectory("aimock");
    Path fixtures = Files.createDirectory(dir.resolve("fixtures"));
    Files.writeString(fixtures.resolve("fixtures.json"), fixturesJson);
    Path log = dir.resolve("aimock.log");
    int port = TestApp.freePort();
    Process process;
    try {
      process = new ProcessBuilder("node", cli.toString(), "-p", String.valueOf(port), "-h", "127.0.0.1",
          "-f", fixtures.toString(), "--log-level", "warn")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run node for aimock (" + e.getMessage() + "): " + INSTALL_HINT, e);
    }
    Aimock mock = new Aimock(process, port, log);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("aimock exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(mock.url("/health")))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 200) {
          return mock;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    mock.close();
    throw new AssertionError("aimock did not answer /health within 20 s: " + Files.readString(log));
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT} + path. */
  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /**
   * The request journal (method, path with query, headers, body of every request). aimock replaces the value
   * of key headers it recognises ({@code authorization}, {@code api-key}, {@code x-api-key},
   * {@code x-goog-api-key}…) with {@code [REDACTED]}.
   */
  public JsonArray journal() throws IOException, InterruptedException {
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/__aimock/journal"))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonArray(res.body());
  }

  public List<String> logLines() throws IOException {
    return Files.readAllLines(log);
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
