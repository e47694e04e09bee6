package ai.spacebot.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a separate process, for tests that kill, daemonize or read the CLI's output. */
public final class SpacebotProcess implements AutoCloseable {
  private final Process process;
  private final Path output;

  private SpacebotProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static Path jar() {
    String jar = System.getProperty("spacebot.jar", "target/spacebot.jar");
    Path path = Path.of(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(path + " is missing: integration tests run after 'mvn package'");
    }
    return path;
  }

  /** Starts {@code java -jar spacebot.jar ARGS} with the given extra environment. */
  public static SpacebotProcess start(Map<String, String> env, String... args) {
    return start(env, List.of("-jar", jar().toString()), args);
  }

  public static SpacebotProcess start(Map<String, String> env, List<String> javaArgs, String... args) {
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      command.addAll(javaArgs);
      command.addAll(List.of(args));
      Path output = Files.createTempFile("spacebot-process", ".out");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("SPACEBOT_") || k.endsWith("_API_KEY") || k.endsWith("_BASE_URL"));
      pb.environment().putAll(env);
      return new SpacebotProcess(pb.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a CLI command to completion and returns its exit code and output. */
  public static Result run(Map<String, String> env, Duration timeout, String... args) {
    return run(env, null, timeout, args);
  }

  /**
   * Runs a CLI command to completion with {@code stdin} as its standard input (then closed; null leaves it open),
   * as an operator pipes a secret or a passphrase into it.
   */
  public static Result run(Map<String, String> env, String stdin, Duration timeout, String... args) {
    try (SpacebotProcess p = start(env, args)) {
      if (stdin != null) {
        try (OutputStream in = p.process.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("spacebot " + String.join(" ", args) + " did not finish within " + timeout + ":\n" + p.output());
      }
      return new Result(p.process.exitValue(), p.output());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public record Result(int exitCode, String output) {}

  /** Waits until {@code GET /api/health} answers on the port. */
  public SpacebotProcess awaitHealthy(int port, Duration timeout) {
    Http http = new Http("http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("spacebot exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        if (http.get("/api/health").status() == 200) {
          return this;
        }
      } catch (UncheckedIOException notYet) {
        // not listening yet
      }
      sleep(100);
    }
    throw new AssertionError("spacebot did not become healthy within " + timeout + ":\n" + output());
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** SIGKILL: no shutdown hook runs, as in a crash or power loss. */
  public void kill() {
    process.destroyForcibly();
    waitExit();
  }

  /** SIGTERM: the graceful stop. */
  public int terminate() {
    process.destroy();
    return waitExit();
  }

  private int waitExit() {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("spacebot did not exit within 20 s:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
