package ai.spacebot.llm.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelInventoryTest {
  @Test
  void baseUrlsLoseUserInfoQueryAndFragment() {
    assertThat(ModelInventory.safeUrl(null)).isNull();
    assertThat(ModelInventory.safeUrl("https://api.example.com/v1")).isEqualTo("https://api.example.com/v1");
    assertThat(ModelInventory.safeUrl("https://user:sk-secret@gw.example.com:8443/v1?key=sk-secret#x"))
        .isEqualTo("https://gw.example.com:8443/v1");
    assertThat(ModelInventory.safeUrl("not a url sk-secret")).isEqualTo("(not shown)");
  }
}
