package ai.spacebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.channel.ChannelVerticle;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.testkit.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** verticles/*.json are read at start: an operator scales a process by editing a file. */
class DeploymentDescriptorsIT {
  @Test
  void instancesComeFromTheDescriptorDirectory() throws Exception {
    Path descriptors = Files.createTempDirectory("verticles");
    for (String name : new String[] {"api.json", "portal.json", "channel.json"}) {
      Files.copy(Path.of("verticles", name), descriptors.resolve(name));
    }
    Files.writeString(descriptors.resolve("channel.json"),
        Files.readString(descriptors.resolve("channel.json")).replaceAll("\"instances\": \\d+", "\"instances\": 3"));
    Path dir = Files.createTempDirectory("spacebot-desc");
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(TestApp.freePort()));
    SpacebotConfig config = new ConfigLoader(env).load(null);
    Bootstrap.Running running = Bootstrap.start(config, descriptors, null).await();
    try {
      assertThat(running.vertx().sharedData().getLocalMap(ChannelVerticle.STATS_MAP).size()).isEqualTo(3);
    } finally {
      running.stop(java.time.Duration.ofSeconds(2)).await();
    }
  }

  @Test
  void aBrokenDescriptorStopsStartWithItsName() throws Exception {
    Path descriptors = Files.createTempDirectory("verticles-bad");
    Files.writeString(descriptors.resolve("api.json"), "{\"class\": \"ai.spacebot.api.ApiVerticle\", \"instances\": 0}");
    Path dir = Files.createTempDirectory("spacebot-desc-bad");
    SpacebotConfig config = new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString())).load(null);
    assertThatThrownBy(() -> Bootstrap.start(config, descriptors, null).await(30, java.util.concurrent.TimeUnit.SECONDS))
        .hasMessageContaining("api.json").hasMessageContaining("instances");
  }
}
