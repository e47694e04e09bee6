package ai.spacebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The command line as an operator uses it, against the packaged jar. */
class CliIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void daemonStartStatusStop() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-cli");
    int port = TestApp.freePort();
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(port));
    long pid = -1;
    try {
      SpacebotProcess.Result start = SpacebotProcess.run(env, WAIT, "start");
      assertThat(start.exitCode()).as(start.output()).isZero();
      Matcher m = Pattern.compile("pid (\\d+)").matcher(start.output());
      assertThat(m.find()).as(start.output()).isTrue();
      pid = Long.parseLong(m.group(1));
      assertThat(start.output()).contains("http://127.0.0.1:" + port);
      assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
      assertThat(Files.readString(dir.resolve("spacebot.pid")).trim()).isEqualTo(String.valueOf(pid));
      assertThat(dir.resolve("logs/spacebot.log")).exists();

      SpacebotProcess.Result again = SpacebotProcess.run(env, WAIT, "start");
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.output()).contains("already running").contains(String.valueOf(pid));

      SpacebotProcess.Result status = SpacebotProcess.run(env, WAIT, "status");
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.output()).contains("pid:    " + pid).contains("port:   " + port).contains("uptime:");

      SpacebotProcess.Result restart = SpacebotProcess.run(env, WAIT, "restart");
      assertThat(restart.exitCode()).as(restart.output()).isZero();
      Matcher r = Pattern.compile("started \\(pid (\\d+)\\)").matcher(restart.output());
      assertThat(r.find()).as(restart.output()).isTrue();
      long newPid = Long.parseLong(r.group(1));
      assertThat(newPid).isNotEqualTo(pid);
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      pid = newPid;

      SpacebotProcess.Result stop = SpacebotProcess.run(env, WAIT, "stop");
      assertThat(stop.exitCode()).as(stop.output()).isZero();
      assertThat(stop.output()).contains("Stopped.");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(dir.resolve("spacebot.pid")).doesNotExist();

      SpacebotProcess.Result after = SpacebotProcess.run(env, WAIT, "status");
      assertThat(after.exitCode()).isEqualTo(3);
      assertThat(after.output()).contains("not running");
    } finally {
      if (pid > 0) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void stalePidFileIsDetectedAndReplaced() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-stale");
    int port = TestApp.freePort();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(dir.resolve("spacebot.pid"), gone.pid() + "\n");
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(port));

    assertThat(SpacebotProcess.run(env, WAIT, "status").exitCode()).isEqualTo(3);
    try (SpacebotProcess app = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
      // The pid file is written once start-up completed, a moment after the health route answers.
      long deadline = System.currentTimeMillis() + 10_000;
      while (!Files.readString(dir.resolve("spacebot.pid")).trim().equals(String.valueOf(app.pid()))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(dir.resolve("spacebot.pid")).trim()).isEqualTo(String.valueOf(app.pid()));
      assertThat(app.output()).contains("stale pid file");
      app.terminate();
    }
  }

  @Test
  void badConfigFileStopsStartWithOneMessageNamingKeyAndLine() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-badconf");
    Files.writeString(dir.resolve("config.yaml"), "# my settings\napi:\n  port: not-a-port\n");
    SpacebotProcess.Result result = SpacebotProcess.run(Map.of("SPACEBOT_DIR", dir.toString()), WAIT, "start", "--foreground");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output().strip().lines()).hasSize(1);
    assertThat(result.output()).contains("api.port").contains("line 3").contains("not-a-port");
    assertThat(result.output()).doesNotContain("Exception").doesNotContain("\tat ");

    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "api:\n  port: 1\n bind: x\n");
    SpacebotProcess.Result syntax = SpacebotProcess.run(Map.of("SPACEBOT_DIR", dir.toString()), WAIT, "start", "--config", broken.toString());
    assertThat(syntax.exitCode()).isEqualTo(2);
    assertThat(syntax.output()).contains("broken.yaml").contains("line 3").doesNotContain("\tat ");

    SpacebotProcess.Result missing = SpacebotProcess.run(Map.of("SPACEBOT_DIR", dir.toString()), WAIT, "status", "--config", "/nonexistent.yaml");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.output()).contains("/nonexistent.yaml").contains("does not exist");
  }

  @Test
  void portAlreadyInUseIsReportedClearly() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-port");
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(taken.getLocalPort()));
      SpacebotProcess.Result result = SpacebotProcess.run(env, WAIT, "start", "--foreground");
      assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
      assertThat(result.output()).contains("port " + taken.getLocalPort()).contains("already in use").doesNotContain("\tat ");
    }
  }

  @Test
  void memoryCommandsTalkToTheRunningServer() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-memcli");
    int port = TestApp.freePort();
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(port));
    SpacebotProcess.Result down = SpacebotProcess.run(env, WAIT, "memory", "search", "anything");
    assertThat(down.exitCode()).isEqualTo(3);
    assertThat(down.output()).contains("not answering").contains("spacebot start");
    try (SpacebotProcess app = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
      SpacebotProcess.Result add = SpacebotProcess.run(env, WAIT, "memory", "add", "--type", "decision", "We", "ship", "on", "Thursdays");
      assertThat(add.exitCode()).as(add.output()).isZero();
      Matcher id = Pattern.compile("Saved ([0-9a-f-]{36}) \\(decision, importance 0.8\\)").matcher(add.output());
      assertThat(id.find()).as(add.output()).isTrue();

      SpacebotProcess.Result search = SpacebotProcess.run(env, WAIT, "memory", "search", "when", "do", "we", "ship");
      assertThat(search.exitCode()).isZero();
      assertThat(search.output()).contains(id.group(1)).contains("We ship on Thursdays");

      assertThat(SpacebotProcess.run(env, WAIT, "memory", "forget", id.group(1)).exitCode()).isZero();
      SpacebotProcess.Result again = SpacebotProcess.run(env, WAIT, "memory", "forget", id.group(1));
      assertThat(again.exitCode()).isEqualTo(4);
      assertThat(again.output()).contains("does not exist").doesNotContain("\tat ");
      SpacebotProcess.Result bad = SpacebotProcess.run(env, WAIT, "memory", "add", "--type", "gossip", "x");
      assertThat(bad.exitCode()).isEqualTo(2);
      assertThat(bad.output()).contains("memory_type");

      Path broken = dir.resolve("broken.jsonl");
      Files.writeString(broken, "{\"content\": \"Fine line about otters.\"}\n{not json\n\n{\"memory_type\": \"fact\"}\n");
      SpacebotProcess.Result refused = SpacebotProcess.run(env, WAIT, "memory", "import", broken.toString());
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.output()).contains("2 bad line(s)").contains("line 2: not a JSON object").contains("line 4: content is required")
          .contains("nothing was imported").doesNotContain("\tat ");
      assertThat(SpacebotProcess.run(env, WAIT, "memory", "search", "--mode", "fulltext", "otters").output()).contains("No memories found.");

      Path good = dir.resolve("good.jsonl");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 30; i++) {
        lines.append(new io.vertx.core.json.JsonObject().put("content", "Imported fact " + i + ": locker " + i + " belongs to team " + (i % 3))
            .put("memory_type", "fact").encode()).append('\n');
      }
      lines.append("{\"content\": \"A human note\", \"memory_type\": \"human\"}\n");
      Files.writeString(good, lines);
      SpacebotProcess.Result partial = SpacebotProcess.run(env, WAIT, "memory", "import", "--batch", "10", good.toString());
      assertThat(partial.exitCode()).isEqualTo(2);
      assertThat(partial.output()).contains("line 31: human_id is required").contains("30 memories imported before it")
          .contains("--from-line 31");
      assertThat(SpacebotProcess.run(env, WAIT, "memory", "search", "who", "owns", "locker", "17").output()).contains("locker 17 belongs");
      Files.writeString(good, lines.toString().replace("\"memory_type\": \"human\"}", "\"memory_type\": \"human\", \"human_id\": \"zoe\"}"));
      SpacebotProcess.Result resumed = SpacebotProcess.run(env, WAIT, "memory", "import", "--from-line", "31", good.toString());
      assertThat(resumed.exitCode()).as(resumed.output()).isZero();
      assertThat(resumed.output()).contains("1/1 memories").contains("Imported 1 memory into agent main.");

      SpacebotProcess.Result reindex = SpacebotProcess.run(env, WAIT, "memory", "reindex");
      assertThat(reindex.exitCode()).as(reindex.output()).isZero();
      assertThat(reindex.output()).contains("Reindexed 31 memories of agent main.");
      app.terminate();
    }
  }

  @Test
  void versionAndUsage() {
    SpacebotProcess.Result version = SpacebotProcess.run(Map.of(), WAIT, "version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.output()).startsWith("spacebot ");
    SpacebotProcess.Result unknown = SpacebotProcess.run(Map.of(), WAIT, "frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("frobnicate").doesNotContain("\tat ");
  }
}
