package ai.spacebot.channel;

import ai.spacebot.llm.Prompts;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each agent's identity files in memory and re-reads them when they change on disk, so an
 * operator's edit shows up in the next turn without a restart and turns never wait on file I/O.
 * Missing files are created from friendly defaults on first start.
 */
public final class IdentityStore {
  private static final Logger log = LoggerFactory.getLogger(IdentityStore.class);
  private static final long REFRESH_MS = 5000;

  private final Vertx vertx;
  private final SpacebotConfig config;
  private final Map<String, AgentIdentity> identities = new ConcurrentHashMap<>();
  private final Map<String, Long> modified = new ConcurrentHashMap<>();

  public IdentityStore(Vertx vertx, SpacebotConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Creates missing files, loads all agents and starts watching for edits. */
  public Future<Void> start() {
    List<Future<Void>> loads = new ArrayList<>();
    for (AgentConfig agent : config.agents()) {
      loads.add(createDefaults(agent).compose(v -> refresh(agent.id())));
    }
    return Future.all(loads).<Void>mapEmpty().onSuccess(v ->
        vertx.setPeriodic(REFRESH_MS, id -> config.agents().forEach(a -> refresh(a.id()))));
  }

  public AgentIdentity get(String agentId) {
    return identities.getOrDefault(agentId, AgentIdentity.EMPTY);
  }

  private Future<Void> createDefaults(AgentConfig agent) {
    FileSystem fs = vertx.fileSystem();
    Path dir = config.agentDir(agent.id());
    return fs.mkdirs(dir.resolve("workspace").toString()).compose(v -> {
      List<Future<Void>> writes = new ArrayList<>();
      for (String file : AgentIdentity.FILES) {
        String path = dir.resolve(file).toString();
        writes.add(fs.exists(path).compose(exists -> exists
            ? Future.succeededFuture()
            : fs.writeFile(path, io.vertx.core.buffer.Buffer.buffer(Prompts.render(Prompts.load("defaults/" + file),
                Map.of("agent_name", agent.name(), "agent_id", agent.id()))))));
      }
      return Future.all(writes).mapEmpty();
    });
  }

  private Future<Void> refresh(String agentId) {
    FileSystem fs = vertx.fileSystem();
    Path dir = config.agentDir(agentId);
    List<Future<Long>> stamps = new ArrayList<>();
    for (String file : AgentIdentity.FILES) {
      stamps.add(fs.props(dir.resolve(file).toString()).map(p -> p.lastModifiedTime()).otherwise(0L));
    }
    return Future.all(stamps).compose(all -> {
      long stamp = 0;
      for (int i = 0; i < AgentIdentity.FILES.length; i++) {
        stamp = stamp * 31 + all.<Long>resultAt(i);
      }
      Long previous = modified.get(agentId);
      if (previous != null && previous == stamp && identities.containsKey(agentId)) {
        return Future.succeededFuture();
      }
      long current = stamp;
      List<Future<String>> reads = new ArrayList<>();
      for (String file : AgentIdentity.FILES) {
        reads.add(fs.readFile(dir.resolve(file).toString()).map(b -> b.toString().strip()).otherwise(""));
      }
      return Future.all(reads).map(texts -> {
        identities.put(agentId, new AgentIdentity(texts.resultAt(0), texts.resultAt(1), texts.resultAt(2)));
        if (previous != null) {
          log.info("Reloaded identity files of agent {}", agentId);
        }
        modified.put(agentId, current);
        return null;
      });
    });
  }
}
