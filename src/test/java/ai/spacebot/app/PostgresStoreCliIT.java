package ai.spacebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starting the packaged jar with store.kind postgres when Postgres cannot be used. */
class PostgresStoreCliIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void anUnreachableServerStopsStartWithOneLine() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-pg-down");
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(TestApp.freePort()),
        "SPACEBOT_STORE", "postgres", "SPACEBOT_PG_URL", "postgresql://spacebot:s3cret-pw@127.0.0.1:1/spacebot");
    SpacebotProcess.Result result = SpacebotProcess.run(env, WAIT, "start", "--foreground");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output().strip().lines()).as(result.output()).hasSize(1);
    assertThat(result.output()).contains("cannot connect to Postgres at 127.0.0.1:1/spacebot").contains("SPACEBOT_PG_URL")
        .doesNotContain("s3cret-pw").doesNotContain("\tat ");
    assertThat(dir.resolve("spacebot.pid")).doesNotExist();
  }

  @Test
  void aMissingOrMalformedUrlIsABadConfiguration() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-pg-url");
    SpacebotProcess.Result missing = SpacebotProcess.run(Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_STORE", "postgres"), WAIT,
        "start", "--foreground");
    assertThat(missing.exitCode()).as(missing.output()).isEqualTo(2);
    assertThat(missing.output().strip().lines()).hasSize(1);
    assertThat(missing.output()).contains("store.postgres.url").contains("required");

    SpacebotProcess.Result bad = SpacebotProcess.run(Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_STORE", "postgres",
        "SPACEBOT_PG_URL", "mysql://bot:s3cret-pw@db/x"), WAIT, "start", "--foreground");
    assertThat(bad.exitCode()).as(bad.output()).isEqualTo(2);
    assertThat(bad.output()).contains("store.postgres.url").contains("SPACEBOT_PG_URL").doesNotContain("s3cret-pw")
        .doesNotContain("\tat ");
  }
}
