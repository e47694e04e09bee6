package ai.spacebot.app;

import ai.spacebot.config.ConfigException;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spacebot} command line. No logger is created here before {@link #main} has chosen where
 * logs go (console in the foreground, a rolling file as a daemon).
 */
@Command(name = "spacebot", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "A self-hosted AI agent for teams and communities.",
    subcommands = {Main.Start.class, Main.Stop.class, Main.Restart.class, Main.Status.class, Main.VersionCmd.class,
        MemoryCommand.class, UsageCommand.class, ModelsCommand.class, SecretsCommand.class})
public final class Main implements Runnable {
  static final int EXIT_NOT_RUNNING = 3;
  static final Duration STOP_GRACE = Duration.ofSeconds(8);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    useSharedAsyncPool();
    System.exit(run(args, System.getenv()));
  }

  /**
   * On a 2-core machine the common ForkJoinPool has parallelism 1, and CompletableFuture then runs every
   * async step on a brand-new thread. The JDK HttpClient under LangChain4j completes each model request
   * that way, so every turn created a thread (measured: ~5,000 thread starts in 30 s of load). Two or
   * more makes it use the pool. Must run before anything touches ForkJoinPool.
   */
  static void useSharedAsyncPool() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(key, "2");
    }
  }

  static int run(String[] args, Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("spacebot: bad configuration: " + e.getMessage());
        return 2;
      }
      if (e instanceof UserError) {
        cmd.getErr().println("spacebot: " + e.getMessage());
        return ((UserError) e).exitCode;
      }
      cmd.getErr().println("spacebot: " + e);
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A failure worded for the operator; printed without a stack trace. */
  static final class UserError extends RuntimeException {
    final int exitCode;

    UserError(String message, int exitCode) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }

  static class ConfigOptions {
    @Option(names = {"-c", "--config"}, description = "Config file (default: $SPACEBOT_DIR/config.yaml if present).")
    Path config;

    SpacebotConfig load() {
      return new ConfigLoader(System.getenv()).load(config == null ? null : config.toAbsolutePath());
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the server (as a daemon unless --foreground).")
  static final class Start implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

    @Option(names = {"-f", "--foreground"}, description = "Run in this terminal, logging to the console.")
    boolean foreground;

    @Option(names = "--cluster", description = "Join a Hazelcast cluster (see the cluster section of the config).")
    boolean cluster;

    @Option(names = "--verticles", description = "Directory of verticle descriptors (default: ./verticles or the built-in ones).")
    Path verticles;

    @Override
    public Integer call() throws Exception {
      SpacebotConfig config = options.load().withCluster(cluster);
      PidFile pidFile = new PidFile(config.dataDir());
      Optional<ProcessHandle> running = pidFile.running();
      if (running.isPresent() && running.get().pid() != ProcessHandle.current().pid()) {
        throw new UserError("Spacebot is already running (pid " + running.get().pid() + "); use 'spacebot stop' first", 1);
      }
      return foreground ? runForeground(config, pidFile) : Daemon.launch(config, options.config, cluster, verticles);
    }

    private int runForeground(SpacebotConfig config, PidFile pidFile) throws Exception {
      if (pidFile.exists()) {
        org.slf4j.LoggerFactory.getLogger(Main.class).info("Replacing stale pid file {}", pidFile.path());
      }
      Path dir = verticles != null ? verticles : SpacebotVerticle.defaultVerticlesDir();
      Bootstrap.Running app;
      try {
        app = Bootstrap.start(config, dir, null).await();
      } catch (Exception e) {
        throw new UserError("could not start: " + startFailure(e, config), 1);
      }
      long pid = ProcessHandle.current().pid();
      pidFile.write(pid);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        org.slf4j.LoggerFactory.getLogger(Main.class).info("Stopping: no new messages; finishing turns in flight");
        try {
          app.stop(STOP_GRACE).await(STOP_GRACE.toSeconds() + 2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          org.slf4j.LoggerFactory.getLogger(Main.class).warn("Stop did not finish cleanly: {}", e.toString());
        } finally {
          pidFile.deleteIfOwnedBy(pid);
          stopped.countDown();
        }
      }, "spacebot-shutdown"));
      stopped.await();
      return 0;
    }

    private static String startFailure(Exception e, SpacebotConfig config) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      if (root instanceof java.net.BindException) {
        return "port " + config.api().port() + " on " + config.api().bind()
            + " is already in use; set api.port (or SPACEBOT_PORT) to a free port";
      }
      return root.getMessage() != null ? root.getMessage() : root.toString();
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the running server gracefully.")
  static final class Stop implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call() {
      return Daemon.stop(options.load(), new PrintWriter(System.out, true));
    }
  }

  @Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop, then start as a daemon.")
  static final class Restart implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

    @Option(names = "--cluster", description = "Join a Hazelcast cluster.")
    boolean cluster;

    @Override
    public Integer call() throws Exception {
      SpacebotConfig config = options.load();
      Daemon.stop(config, new PrintWriter(System.out, true));
      return Daemon.launch(config.withCluster(cluster), options.config, cluster, null);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the server runs: pid, uptime, port.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call() {
      SpacebotConfig config = options.load();
      Optional<ProcessHandle> running = new PidFile(config.dataDir()).running();
      if (running.isEmpty()) {
        System.out.println("Spacebot is not running (no live pid in " + config.dataDir().resolve("spacebot.pid") + ")");
        return EXIT_NOT_RUNNING;
      }
      long pid = running.get().pid();
      long uptime = running.get().info().startInstant().map(s -> Duration.between(s, Instant.now()).toSeconds()).orElse(-1L);
      String url = Daemon.localUrl(config);
      String health = Daemon.fetch(config, "/api/status").orElse(null);
      System.out.println("Spacebot is running");
      System.out.println("  pid:    " + pid);
      System.out.println("  uptime: " + Daemon.formatDuration(uptime));
      System.out.println("  port:   " + config.api().port() + " (" + url + ")");
      if (health == null) {
        System.out.println("  api:    not answering yet");
      }
      return 0;
    }
  }

  @Command(name = "version", description = "Print the version.")
  static final class VersionCmd implements Runnable {
    @Override
    public void run() {
      System.out.println("spacebot " + Version.get());
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"spacebot " + Version.get()};
    }
  }
}
