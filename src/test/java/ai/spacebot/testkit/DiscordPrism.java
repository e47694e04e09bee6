package ai.spacebot.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * npm {@code @stoplight/prism-cli} in proxy mode with Discord's own OpenAPI spec ({@code shared/data}): every REST
 * request the bot makes and every answer the peer gives passes through it and is validated; each violation it
 * reports is kept ({@link #linesSince}). Prism needs ~15 s to load the 1.2 MB spec, so one runs per test JVM, in
 * front of a fixed upstream port that each {@link DiscordPeer} binds in turn. Missing, it fails the test with the
 * install hint (tests never skip).
 */
final class DiscordPrism {
  private static final Path CLI = Path.of(".cache", "test-peers", "node_modules", "@stoplight", "prism-cli", "dist",
      "index.js");
  private static DiscordPrism shared;

  private final Process process;
  private final int port;
  private final int upstreamPort;
  private final List<String> lines = new ArrayList<>();

  private DiscordPrism(Process process, int port, int upstreamPort) {
    this.process = process;
    this.port = port;
    this.upstreamPort = upstreamPort;
  }

  /** The JVM's Prism, started on first use; it stops with the JVM. */
  static synchronized DiscordPrism shared() throws IOException, InterruptedException {
    if (shared == null || !shared.process.isAlive()) {
      shared = start();
    }
    return shared;
  }

  private static DiscordPrism start() throws IOException, InterruptedException {
    Path cli = Path.of(System.getProperty("user.dir")).resolve(CLI);
    if (!Files.isRegularFile(cli)) {
      throw new AssertionError("Prism is not installed (" + cli + " is missing): " + Aimock.INSTALL_HINT);
    }
    Path spec = spec();
    int port = TestApp.freePort();
    int upstream = TestApp.freePort();
    Process process = new ProcessBuilder("node", cli.toString(), "proxy", "-h", "127.0.0.1", "-p",
        String.valueOf(port), spec.toString(), "http://127.0.0.1:" + upstream + "/api/v10")
        .redirectErrorStream(true).start();
    DiscordPrism prism = new DiscordPrism(process, port, upstream);
    CountDownLatch listening = new CountDownLatch(1);
    Thread reader = new Thread(() -> prism.read(listening), "prism-output");
    reader.setDaemon(true);
    reader.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    if (!listening.await(90, TimeUnit.SECONDS)) {
      process.destroy();
      throw new AssertionError("Prism did not start within 90 s: " + String.join("\n", prism.linesSince(0)));
    }
    return prism;
  }

  private static Path spec() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data").resolve("discord-openapi.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      Path sibling = dir.resolveSibling("shared").resolve("data").resolve("discord-openapi.json");
      if (Files.isRegularFile(sibling)) {
        return sibling;
      }
    }
    throw new AssertionError("Discord's OpenAPI spec (shared/data/discord-openapi.json) was not found above "
        + System.getProperty("user.dir"));
  }

  private void read(CountDownLatch listening) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        // The route list Prism prints at start is noise; what it says about requests is kept.
        if (line.contains("Prism is listening")) {
          listening.countDown();
        } else if (listening.getCount() == 0) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Prism's base URL: the bot's REST base. */
  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** The port Prism forwards to ({@code /api/v10} on it). */
  int upstreamPort() {
    return upstreamPort;
  }

  int lineCount() {
    synchronized (lines) {
      return lines.size();
    }
  }

  List<String> linesSince(int from) {
    synchronized (lines) {
      return List.copyOf(lines.subList(Math.min(from, lines.size()), lines.size()));
    }
  }
}
