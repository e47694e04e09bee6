package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.ToolArguments.optionalInteger;
import static ai.spacebot.tools.ToolArguments.optionalString;
import static ai.spacebot.tools.ToolArguments.requiredString;

import ai.spacebot.config.WorkerSettings;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.vertx.core.Context;
import ai.spacebot.secrets.KnownSecrets;
import ai.spacebot.secrets.SecretCategory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code shell}: runs a command with {@code /bin/sh -c} in the workspace, with a scrubbed environment, a timeout and an
 * output cap. Each call gets its own thread rather than a worker-pool thread: commands may run for minutes, and would
 * otherwise starve the pool and trip Vert.x's blocked-thread warnings.
 */
public final class ShellTool implements Tool {
  private static final List<String> BASE_ENV = List.of("PATH", "HOME", "TMPDIR");

  private final Vertx vertx;
  private final Workspace workspace;
  private final WorkerSettings settings;
  private final Map<String, String> env;
  private final ToolSpecification specification;
  private final Set<ShellCommand> running = ConcurrentHashMap.newKeySet();
  private final Sandbox sandbox;

  /**
   * @param parentEnv the environment to pick PATH, HOME, TMPDIR and {@code settings.envPassthrough()} from (production:
   *     {@code System.getenv()}); nothing else of it reaches the command, so API keys stay out
   */
  public ShellTool(Vertx vertx, Workspace workspace, WorkerSettings settings, Map<String, String> parentEnv,
      Sandbox sandbox) {
    this.vertx = vertx;
    this.sandbox = sandbox;
    this.workspace = workspace;
    this.settings = settings;
    this.env = scrubbed(parentEnv, settings.envPassthrough());
    this.specification = specification(settings);
  }

  public ToolSpecification specification() {
    return specification;
  }

  public Future<ToolOutput> execute(JsonObject args) {
    String refusal = sandbox.refusal();
    if (refusal != null) {
      return Future.succeededFuture(ToolOutput.error(refusal));
    }
    ShellCommand command;
    try {
      command = new ShellCommand(requiredString(args, "command"), workspace, optionalString(args, "working_dir"),
          timeoutSeconds(args), withToolSecrets(env, KnownSecrets.of(vertx)), settings.outputCapBytes(), sandbox);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(ToolOutput.error(e.getMessage()));
    }
    // registered before the thread starts, so a killAll() racing with this call still stops it
    running.add(command);
    Context context = vertx.getOrCreateContext();
    Promise<ToolOutput> result = Promise.promise();
    Thread thread = new Thread(() -> {
      ToolOutput output = run(command);
      running.remove(command);
      context.runOnContext(v -> result.complete(output));
      command.release();
    }, "spacebot-shell");
    thread.setDaemon(true);
    thread.start();
    return result.future();
  }

  /**
   * Kills every command of this tool that is running or about to start, with everything it started.
   * Killing spawns {@code kill} and waits for it, so it runs on a thread of its own: the caller is a
   * worker's event loop.
   */
  public void killAll() {
    if (running.isEmpty()) {
      return;
    }
    List<ShellCommand> commands = List.copyOf(running);
    Thread killer = new Thread(() -> commands.forEach(ShellCommand::cancel), "spacebot-shell-kill");
    killer.setDaemon(true);
    killer.start();
  }

  private static ToolOutput run(ShellCommand command) {
    try {
      return command.run();
    } catch (IllegalArgumentException e) {
      return ToolOutput.error(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolOutput.error("Command interrupted.");
    } catch (Exception | Error e) {
      // the caller's future must complete whatever happens here, or the worker would wait forever
      return ToolOutput.error("Command could not be run: " + (e.getMessage() != null ? e.getMessage() : e));
    }
  }

  private int timeoutSeconds(JsonObject args) {
    Integer timeout = optionalInteger(args, "timeout_seconds");
    if (timeout == null) {
      return settings.shellTimeoutSeconds();
    }
    if (timeout < 1 || timeout > settings.shellMaxTimeoutSeconds()) {
      throw new IllegalArgumentException(
          "argument \"timeout_seconds\" must be a whole number from 1 to " + settings.shellMaxTimeoutSeconds());
    }
    return timeout;
  }

  /**
   * The command's environment: the scrubbed base plus every {@code tool} secret the node can read now, each under its
   * own name (they may change between commands: the store can be unlocked or edited). {@code system} secrets never.
   */
  static Map<String, String> withToolSecrets(Map<String, String> base, KnownSecrets known) {
    List<KnownSecrets.Entry> tools = known.toolSecrets();
    if (tools.isEmpty()) {
      return base;
    }
    Map<String, String> env = new LinkedHashMap<>(base);
    for (KnownSecrets.Entry e : tools) {
      if (e.category() == SecretCategory.TOOL) {
        env.putIfAbsent(e.name(), e.value());
      }
    }
    return Map.copyOf(env);
  }

  private static Map<String, String> scrubbed(Map<String, String> parentEnv, List<String> passthrough) {
    Map<String, String> env = new LinkedHashMap<>();
    Stream.concat(BASE_ENV.stream(), passthrough.stream()).forEach(name -> {
      String value = parentEnv.get(name);
      if (value != null) {
        env.put(name, value);
      }
    });
    return Map.copyOf(env);
  }

  private static ToolSpecification specification(WorkerSettings settings) {
    return ToolSpecification.builder()
        .name("shell")
        .description("Run a shell command with /bin/sh -c in your workspace directory and get its output (stdout and "
            + "stderr together) followed by its exit code. A non-zero exit code is reported, not treated as a failure. "
            + "There is no input (stdin is empty), so do not run interactive programs. Output beyond "
            + settings.outputCapBytes() + " bytes is cut, so filter big outputs (grep, head, tail). The command is "
            + "killed, with everything it started, after " + settings.shellTimeoutSeconds() + " s unless you set "
            + "timeout_seconds (at most " + settings.shellMaxTimeoutSeconds() + "). Only PATH, HOME and TMPDIR and a few "
            + "configured variables are in the environment.")
        .parameters(JsonObjectSchema.builder()
            .addStringProperty("command", "The command line, e.g. \"ls -la\" or \"python3 script.py > out.txt\".")
            .addStringProperty("working_dir",
                "Optional: directory to run in, relative to the workspace (default: the workspace itself). "
                    + "It must be inside the workspace.")
            .addIntegerProperty("timeout_seconds", "Optional: seconds before the command is killed (default "
                + settings.shellTimeoutSeconds() + ", at most " + settings.shellMaxTimeoutSeconds() + ").")
            .required("command")
            .build())
        .build();
  }
}
