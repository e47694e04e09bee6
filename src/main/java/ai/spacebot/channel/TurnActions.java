package ai.spacebot.channel;

import ai.spacebot.config.AgentConfig;
import ai.spacebot.tools.workspace.Workspace;
import dev.langchain4j.data.message.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The process tools of one turn. A fork includes the turn's new messages; what the turn starts carries the turn's
 * role, so a branch of a stranger's turn cannot start a worker either.
 */
final class TurnActions implements ChannelTools.Actions {
  private final ChannelServices services;
  private final AgentConfig agent;
  private final ChannelProcesses processes;
  private final Vertx vertx;
  private final Supplier<String> modelOverride;
  private final Function<List<ChatMessage>, List<ChatMessage>> fork;
  private final List<ChatMessage> incoming;
  private final TurnRole role;
  private final CrossChannelSend elsewhere;

  TurnActions(ChannelServices services, AgentConfig agent, ChannelProcesses processes, Vertx vertx, Supplier<String> modelOverride,
      Function<List<ChatMessage>, List<ChatMessage>> fork, List<ChatMessage> incoming, TurnRole role,
      CrossChannelSend elsewhere) {
    this.elsewhere = elsewhere;
    this.services = services;
    this.agent = agent;
    this.processes = processes;
    this.vertx = vertx;
    this.modelOverride = modelOverride;
    this.fork = fork;
    this.incoming = incoming;
    this.role = role;
  }

  public Future<String> branch(String description, String taskType) {
    return processes.branch(description, fork.apply(incoming),
        services.router().forProcess(agent, "branch", modelOverride.get(), taskType), role);
  }

  public Future<String> spawnWorker(String task, boolean interactive, boolean clean, String taskType) {
    return processes.worker(task, interactive, clean ? List.of() : fork.apply(incoming),
        services.router().forProcess(agent, "worker", modelOverride.get(), taskType), role);
  }

  public Future<Void> route(String workerId, String message) {
    return processes.route(workerId, message);
  }

  public Future<Void> cancel(String processId) {
    return processes.cancelHere(processId);
  }

  public Future<String> sendElsewhere(String target, String message) {
    return elsewhere.send(target, message);
  }

  public Future<String> workspaceFile(String path) {
    Path root = services.config().workspace(agent.id());
    return vertx.executeBlocking(() -> {
      Path file = new Workspace(root).resolve(path);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no file at \"" + path + "\" in the workspace");
      }
      return root.toAbsolutePath().normalize().relativize(file).toString();
    }, false);
  }
}
