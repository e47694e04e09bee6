package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.workspace.Calls.SETTINGS;
import static ai.spacebot.tools.workspace.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.secrets.KnownSecrets;
import ai.spacebot.secrets.SecretCategory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tool secrets reach the sandboxed shell as environment variables of their own name; system secrets never do. */
class ShellToolSecretsTest {
  @TempDir Path dir;
  Vertx vertx;
  ShellTool shell;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    shell = new ShellTool(vertx, new Workspace(dir.resolve("agents/a/workspace")), SETTINGS,
        Map.of("PATH", System.getenv("PATH")), new Sandbox(SETTINGS.sandbox(), dir));
  }

  @AfterEach
  void tearDown() throws Exception {
    shell.killAll();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void toolSecretsAreInTheCommandsEnvironmentAndSystemSecretsAreNot() throws Exception {
    KnownSecrets known = KnownSecrets.of(vertx);
    known.put("GITHUB_TOKEN", "ghp_tool-secret-value", SecretCategory.TOOL);
    known.put("OPENAI_KEY", "sk-system-secret-value", SecretCategory.SYSTEM);

    String env = call(shell, new JsonObject().put("command", "env")).text();
    assertThat(env).contains("GITHUB_TOKEN=ghp_tool-secret-value\n").doesNotContain("OPENAI_KEY", "sk-system-secret-value");

    // The store was locked: the next command no longer gets it.
    known.remove("GITHUB_TOKEN");
    assertThat(call(shell, new JsonObject().put("command", "env")).text()).doesNotContain("GITHUB_TOKEN", "ghp_tool");
  }

  @Test
  void aToolSecretCannotReplaceTheBaseVariables() {
    KnownSecrets known = new KnownSecrets();
    known.put("PATH", "/evil/bin:/usr/bin", SecretCategory.TOOL);
    known.put("API_TOKEN", "token-value-123", SecretCategory.TOOL);
    Map<String, String> env = ShellTool.withToolSecrets(Map.of("PATH", "/usr/bin"), known);
    assertThat(env).isEqualTo(Map.of("PATH", "/usr/bin", "API_TOKEN", "token-value-123"));
  }
}
