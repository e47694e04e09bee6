package ai.spacebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DeploymentTest {
  @Test
  void theJarCarriesEveryDescriptorOfTheVerticlesDirectory() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("verticles"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .containsExactlyInAnyOrderElementsOf(Deployment.BUNDLED);
    }
  }

  @Test
  void withoutAVerticlesDirectoryTheBundledCopiesDeployEveryProcessAndAdapter() throws IOException {
    assertThat(Deployment.load(Path.of("no-such-dir")).stream().map(Deployment::name))
        .hasSize(Deployment.BUNDLED.size())
        .contains("outbox", "discord", "telegram", "webhook", "channel", "api");
  }
}
