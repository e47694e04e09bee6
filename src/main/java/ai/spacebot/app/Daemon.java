package ai.spacebot.app;

import ai.spacebot.config.SpacebotConfig;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Background mode: {@code start} re-launches this program with {@code start --foreground} detached
 * (in its own session, output to {@code logs/spacebot.out}, logs to a daily file) and waits until
 * the API answers; {@code stop} sends SIGTERM and waits for the graceful stop.
 */
final class Daemon {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private Daemon() {}

  static int launch(SpacebotConfig config, Path configFile, boolean cluster, Path verticles) throws IOException, InterruptedException {
    Path logs = config.dataDir().resolve("logs");
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid"); // own session: closing the terminal does not hang it up
    }
    command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of("--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
    String heap = System.getenv("SPACEBOT_JAVA_OPTS");
    if (heap != null && !heap.isBlank()) {
      command.addAll(List.of(heap.trim().split("\\s+")));
    }
    command.add("-Dspacebot.log.target=FILE");
    command.add("-Dspacebot.log.dir=" + logs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "start", "--foreground"));
    if (configFile != null) {
      command.addAll(List.of("--config", configFile.toAbsolutePath().toString()));
    }
    if (cluster) {
      command.add("--cluster");
    }
    if (verticles != null) {
      command.addAll(List.of("--verticles", verticles.toAbsolutePath().toString()));
    }
    Path out = logs.resolve("spacebot.out");
    Process process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .redirectErrorStream(true)
        .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    PidFile pidFile = new PidFile(config.dataDir());
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        System.err.println("spacebot: the server exited during start-up (code " + process.exitValue() + "). Last lines of " + out + ":");
        tail(out, 20).forEach(l -> System.err.println("  " + l));
        return 1;
      }
      if (pidFile.read().filter(p -> p == process.pid()).isPresent() && fetch(config, "/api/health").isPresent()) {
        System.out.println("Spacebot started (pid " + process.pid() + "). Web chat: " + localUrl(config));
        System.out.println("Logs: " + logs + "   Stop: spacebot stop");
        return 0;
      }
      Thread.sleep(200);
    }
    System.err.println("spacebot: the server did not answer within " + START_TIMEOUT.toSeconds() + " s; see " + out);
    return 1;
  }

  static int stop(SpacebotConfig config, PrintWriter out) {
    PidFile pidFile = new PidFile(config.dataDir());
    Optional<ProcessHandle> running = pidFile.running();
    if (running.isEmpty()) {
      out.println("Spacebot is not running" + (pidFile.exists() ? " (removed a stale pid file)" : ""));
      pidFile.read().ifPresent(pidFile::deleteIfOwnedBy);
      return 0;
    }
    ProcessHandle p = running.get();
    out.println("Stopping Spacebot (pid " + p.pid() + ")...");
    p.destroy(); // SIGTERM: the server stops intake and finishes or persists turns in flight
    try {
      p.onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      out.println("Stopped.");
      return 0;
    } catch (Exception e) {
      out.println("It did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it.");
      p.destroyForcibly();
      pidFile.deleteIfOwnedBy(p.pid());
      return 1;
    }
  }

  /** Where a local client reaches the API (0.0.0.0 means "every interface", so use loopback). */
  static String localUrl(SpacebotConfig config) {
    String host = config.api().bind();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + config.api().port();
  }

  /** GET a path of the local API; empty if it does not answer 200. */
  static Optional<String> fetch(SpacebotConfig config, String path) {
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(localUrl(config) + path)).timeout(Duration.ofSeconds(2));
      if (config.api().authToken() != null) {
        req.header("Authorization", "Bearer " + config.api().authToken());
      }
      HttpResponse<String> res = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
          .send(req.build(), HttpResponse.BodyHandlers.ofString());
      return res.statusCode() == 200 ? Optional.of(res.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static String formatDuration(long seconds) {
    if (seconds < 0) {
      return "unknown";
    }
    return seconds >= 3600 ? String.format("%dh %02dm %02ds", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : seconds >= 60 ? String.format("%dm %02ds", seconds / 60, seconds % 60) : seconds + "s";
  }

  private static List<String> tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(could not read " + file + ")");
    }
  }
}
