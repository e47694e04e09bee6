package ai.spacebot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.bus.Addressing;
import ai.spacebot.messaging.Bindings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** permissions (default and per agent), channel.rate_limit and the bindings' allowed users and roles. */
class PermissionsConfigTest {
  @TempDir Path dir;

  private SpacebotConfig load(String yaml) throws IOException {
    if (yaml != null) {
      Files.writeString(dir.resolve("config.yaml"), yaml);
    }
    return new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString())).load(null);
  }

  @Test
  void byDefaultOnlyAuthorityMayStartWorkers() throws IOException {
    SpacebotConfig config = load(null);
    Permissions p = config.agents().get(0).permissions();
    assertThat(p.authority()).containsExactlyInAnyOrderElementsOf(Permissions.TOOLS);
    assertThat(p.everyone()).containsExactlyInAnyOrder("reply", "skip", "react", "branch", "memory_save",
        "memory_recall", "memory_delete", "memory_consolidate", "channel_recall");
    // Trusted members may also post in the agent's other channels; everyone else may not.
    assertThat(p.allowed()).containsExactlyInAnyOrderElementsOf(Permissions.TRUSTED);
    assertThat(Permissions.TRUSTED).containsAll(p.everyone()).contains("send_message_to_another_channel");
    assertThat(p.everyone()).doesNotContain("send_message_to_another_channel");
    assertThat(p.everyoneAnswered()).isTrue();
    RateLimitSettings limits = config.channel().rateLimit();
    assertThat(limits).isEqualTo(new RateLimitSettings(10, 10, 30, 30, true));
  }

  @Test
  void anAgentOverridesTheGroupsItNamesAndReplyAndSkipStay() throws IOException {
    SpacebotConfig config = load("""
        permissions:
          allowed: [branch, spawn_worker]
        agents:
          - id: main
          - id: locked
            permissions:
              everyone: []
              everyone_answered: false
        channel:
          rate_limit: {sender_capacity: 3, sender_per_minute: 1.5, authority_exempt: false}
        """);
    Permissions main = config.agent("main").orElseThrow().permissions();
    assertThat(main.allowed()).containsExactlyInAnyOrder("branch", "spawn_worker", "reply", "skip");
    assertThat(main.everyone()).isEqualTo(Permissions.PUBLIC);
    Permissions locked = config.agent("locked").orElseThrow().permissions();
    assertThat(locked.everyone()).containsExactlyInAnyOrder("reply", "skip");
    assertThat(locked.allowed()).isEqualTo(main.allowed());
    assertThat(locked.everyoneAnswered()).isFalse();
    assertThat(config.channel().rateLimit()).isEqualTo(new RateLimitSettings(3, 1.5, 30, 30, false));
  }

  @Test
  void anUnknownToolOrKeyIsAnErrorThatNamesIt() {
    assertThatThrownBy(() -> load("permissions:\n  everyone: [reply, shell]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("permissions.everyone")
        .hasMessageContaining("unknown tool \"shell\"").hasMessageContaining("spawn_worker");
    assertThatThrownBy(() -> load("permissions:\n  admins: [all]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("permissions.admins")
        .hasMessageContaining("is not a known key");
    assertThatThrownBy(() -> load("channel:\n  rate_limit:\n    per_sender: 3\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("channel.rate_limit.per_sender");
  }

  @Test
  void bindingsGiveAuthorityAndAllowedByUserAndByRole() throws IOException {
    SpacebotConfig config = load("""
        bindings:
          - platform: discord
            guild_id: "111"
            agent_id: main
            authority: ["1"]
            authority_roles: ["900"]
            allowed_users: ["2"]
            allowed_roles: ["800"]
        """);
    Bindings bindings = new Bindings(config);
    Addressing admin = bindings.route("discord", "111", "c", false, "1", Set.of(), true, Set.of()).addressing();
    Addressing adminByRole = bindings.route("discord", "111", "c", false, "5", Set.of("900"), true, Set.of()).addressing();
    Addressing member = bindings.route("discord", "111", "c", false, "2", Set.of(), true, Set.of()).addressing();
    Addressing memberByRole = bindings.route("discord", "111", "c", false, "6", Set.of("800"), true, Set.of()).addressing();
    Addressing stranger = bindings.route("discord", "111", "c", false, "7", Set.of("123"), true, Set.of()).addressing();
    assertThat(admin.authority()).isTrue();
    assertThat(adminByRole.authority()).isTrue();
    assertThat(member.authority()).isFalse();
    assertThat(member.allowed()).isTrue();
    assertThat(memberByRole.allowed()).isTrue();
    assertThat(stranger.authority()).isFalse();
    assertThat(stranger.allowed()).isFalse();
    assertThat(Addressing.fromJson(memberByRole.toJson())).isEqualTo(memberByRole);
    // A record from before roles (no "allowed") reads as not allowed.
    assertThat(Addressing.fromJson(withoutAllowed(member.toJson())).allowed()).isFalse();
  }

  private static io.vertx.core.json.JsonObject withoutAllowed(io.vertx.core.json.JsonObject json) {
    json.remove("allowed");
    return json;
  }
}
