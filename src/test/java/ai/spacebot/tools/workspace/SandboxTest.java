package ai.spacebot.tools.workspace;

import static ai.spacebot.tools.workspace.Calls.SETTINGS;
import static ai.spacebot.tools.workspace.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.SandboxSettings;
import ai.spacebot.tools.ToolOutput;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's shell under bubblewrap, tried the way a hostile user would steer a model: each attempt to reach past
 * the workspace is refused or contained, and the test says exactly how. Needs bwrap (installed by
 * {@code scripts/install-test-deps.sh}); without it these fail, never skip.
 */
class SandboxTest {
  private static final String SECRET = "sk-system-secret-0123456789";

  @TempDir Path dir;
  Vertx vertx;
  Workspace workspace;
  ShellTool shell;

  @BeforeEach
  void setUp() throws IOException {
    assertThat(Path.of(Sandbox.BWRAP)).as("bubblewrap must be installed (scripts/install-test-deps.sh)")
        .isExecutable();
    vertx = Vertx.vertx();
    workspace = new Workspace(dir.resolve("agents/a/workspace"));
    Files.writeString(dir.resolve("config.yaml"), "api:\n  auth_token: " + SECRET + "\n");
    Files.writeString(dir.resolve("agents/a/SOUL.md"), "I am kind.\n");
    Map<String, String> parent = new HashMap<>();
    parent.put("PATH", System.getenv("PATH"));
    parent.put("HOME", dir.resolve("home").toString());
    parent.put("OPENAI_API_KEY", SECRET);
    shell = new ShellTool(vertx, workspace, SETTINGS, parent, new Sandbox(SandboxSettings.DEFAULTS, dir));
  }

  @AfterEach
  void tearDown() throws Exception {
    shell.killAll();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String run(String command) throws Exception {
    ToolOutput out = call(shell, new JsonObject().put("command", command));
    return out.text();
  }

  @Test
  void theWorkspaceIsWritableAndTheRestOfTheDiskIsNot() throws Exception {
    assertThat(run("echo made > here.txt && cat here.txt")).isEqualTo("made\n[exit code 0]");
    assertThat(Files.readString(workspace.root().resolve("here.txt"))).isEqualTo("made\n");
    assertThat(run("echo x > /etc/spacebot-pwned")).contains("Read-only file system").endsWith("[exit code 2]");
    assertThat(Path.of("/etc/spacebot-pwned")).doesNotExist();
    assertThat(run("echo x > ../../../outside.txt; echo rc=$?")).contains("Read-only file system")
        .doesNotContain("rc=0");
    assertThat(dir.resolve("outside.txt")).doesNotExist();
  }

  @Test
  void theDataDirectoryIsEmptySoConfigAndIdentityCanBeNeitherReadNorChanged() throws Exception {
    assertThat(run("cat " + dir.resolve("config.yaml") + "; echo rc=$?")).contains("No such file").contains("rc=1")
        .doesNotContain(SECRET);
    assertThat(run("echo evil >> " + dir.resolve("agents/a/SOUL.md") + "; ls " + dir.resolve("agents/a")))
        .contains("Read-only file system").endsWith("workspace\n[exit code 0]");
    assertThat(Files.readString(dir.resolve("agents/a/SOUL.md"))).isEqualTo("I am kind.\n");
  }

  @Test
  void noSecretIsInAnyEnvironmentItCanSee() throws Exception {
    assertThat(run("env; cat /proc/1/environ; cat /proc/$PPID/environ")).doesNotContain(SECRET)
        .doesNotContain("OPENAI_API_KEY");
    // its own /proc: the server and every other process of the host are out of sight
    String pids = run("ls /proc | grep -c '^[0-9]'");
    assertThat(Integer.parseInt(pids.lines().findFirst().orElseThrow().strip())).isLessThan(10);
    assertThat(run("cat /proc/" + ProcessHandle.current().pid() + "/environ; echo rc=$?"))
        .doesNotContain(SECRET);
  }

  @Test
  void rootSecretsAreHiddenAndNothingCanBeRemounted() throws Exception {
    // hidden (an empty file) or unreadable: never a password hash
    assertThat(run("cat /etc/shadow /etc/gshadow 2>&1")).doesNotContain("root:");
    assertThat(run("ls -A /root /etc/ssh 2>&1")).doesNotContain("authorized_keys").doesNotContain("_key");
    assertThat(run("mount -o remount,rw / 2>&1; echo rc=$?")).doesNotContain("rc=0");
    assertThat(run("touch /usr/pwned 2>&1; echo rc=$?")).contains("Read-only").doesNotContain("rc=0");
  }

  @Test
  void aSymlinkOutOfTheWorkspaceLeadsNowhereWritable() throws Exception {
    assertThat(run("ln -s /etc evil && echo x > evil/pwned; echo rc=$?")).doesNotContain("rc=0");
    assertThat(Path.of("/etc/pwned")).doesNotExist();
    assertThat(run("ln -s " + dir.resolve("config.yaml") + " cfg && cat cfg; echo rc=$?")).doesNotContain(SECRET);
  }

  @Test
  void theNetworkIsOffSoTheControlApiCannotBeReached() throws Exception {
    try (ServerSocket api = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String out = run("curl -sS -m 3 http://127.0.0.1:" + api.getLocalPort() + "/api/status 2>&1; echo rc=$?");
      assertThat(out).doesNotContain("rc=0");
      String metadata = run("curl -sS -m 3 http://169.254.169.254/ 2>&1; echo rc=$?");
      assertThat(metadata).doesNotContain("rc=0");
    }
  }

  @Test
  void aBackgroundChildDiesWithItsCommandInsteadOfHoldingTheResult() throws Exception {
    assertThat(run("sleep 30 & echo done")).isEqualTo("done\n[exit code 0]");
    Thread.sleep(300);
    assertThat(Calls.sleeps()).isEmpty();
  }

  @Test
  void aDoubleForkedBackgroundProcessDiesWithTheCommand() throws Exception {
    String out = run("(setsid sh -c 'sleep 300' &) ; echo started");
    assertThat(out).startsWith("started");
    // the pid namespace died with the command: nothing of it runs on
    Thread.sleep(300);
    List<ProcessHandle> left = Calls.sleeps();
    assertThat(left).isEmpty();
  }

  @Test
  void withoutBubblewrapTheShellRefusesUnlessTheOperatorChoseNone() throws Exception {
    ShellTool refusing = new ShellTool(vertx, workspace, SETTINGS, Map.of("PATH", System.getenv("PATH")),
        new Sandbox(SandboxSettings.DEFAULTS, dir, "/nonexistent/bwrap"));
    ToolOutput out = call(refusing, new JsonObject().put("command", "echo hi"));
    assertThat(out.isError()).isTrue();
    assertThat(out.text()).contains("bubblewrap").contains("worker.sandbox: none");

    SandboxSettings none = new SandboxSettings(SandboxSettings.NONE, false, 2048, List.of(), 128, 120);
    ShellTool unsandboxed = new ShellTool(vertx, workspace, SETTINGS, Map.of("PATH", System.getenv("PATH")),
        new Sandbox(none, dir, "/nonexistent/bwrap"));
    assertThat(call(unsandboxed, new JsonObject().put("command", "cat " + dir.resolve("config.yaml"))).text())
        .as("none means none: the operator's explicit choice").contains(SECRET);
  }
}
