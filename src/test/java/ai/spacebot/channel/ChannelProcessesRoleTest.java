package ai.spacebot.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.BranchStart;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.Permissions;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel's own check, behind the tool list: a worker start for a role without {@code spawn_worker} (a branch of a
 * stranger's turn asking through the inbox) never reaches the bus, and a branch is started with its role's tools.
 */
class ChannelProcessesRoleTest {
  @TempDir Path dir;
  private Vertx vertx;
  private final List<JsonObject> workerStarts = new CopyOnWriteArrayList<>();
  private final List<JsonObject> branchStarts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.WORKER_START, m -> {
      workerStarts.add(m.body());
      m.reply(new JsonObject());
    }).completion().await();
    vertx.eventBus().<JsonObject>consumer(Addresses.BRANCH_START, m -> {
      branchStarts.add(m.body());
      m.reply(new JsonObject());
    }).completion().await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aStrangersWorkIsRefusedBeforeTheBusAndItsBranchCarriesItsTools() {
    SpacebotConfig config = new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString(), "OPENAI_API_KEY", "k")).load(null);
    ChannelProcesses processes = new ChannelProcesses("main", "telegram:1", config, vertx.eventBus(), "inbox-1");
    TurnRole stranger = TurnRole.everyone(Permissions.DEFAULTS);
    TurnRole admin = new TurnRole(TurnRole.AUTHORITY, Permissions.DEFAULTS.authority());

    Throwable refused = processes.worker("cat /etc/passwd", false, List.of(), "openai/x", stranger).cause();
    assertThat(refused).isInstanceOf(ChannelProcesses.Refused.class).hasMessage("Refused: Only the bot's admins can ask "
        + "for work that runs commands or edits files (a worker) here.");
    assertThat(workerStarts).isEmpty();
    assertThat(processes.any()).isFalse();

    String branch = processes.branch("look it up", List.of(), "openai/x", stranger).await();
    assertThat(processes.roleOf(branch)).isEqualTo(stranger);
    BranchStart start = BranchStart.fromJson(branchStarts.get(0));
    assertThat(start.allows("spawn_worker")).isFalse();
    assertThat(start.allows("memory_recall")).isTrue();
    // A start record from before roles (no "tools") allows everything; the channel's check above still holds.
    JsonObject old = branchStarts.get(0).copy();
    old.remove("tools");
    assertThat(BranchStart.fromJson(old).allows("spawn_worker")).isTrue();

    String worker = processes.worker("uptime", false, List.of(), "openai/x", admin).await();
    assertThat(worker).startsWith("w-");
    assertThat(workerStarts).hasSize(1);
    assertThat(processes.roleOf(worker)).isEqualTo(admin);
  }
}
