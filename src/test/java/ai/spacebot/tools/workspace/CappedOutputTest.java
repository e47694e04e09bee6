package ai.spacebot.tools.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The output cap keeps whole characters and says how much was dropped. */
class CappedOutputTest {
  private static CappedOutput of(int cap, String... chunks) {
    CappedOutput output = new CappedOutput(cap);
    for (String chunk : chunks) {
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      output.append(bytes, bytes.length);
    }
    return output;
  }

  @Test
  void underTheCapEverythingIsKept() {
    assertThat(of(10, "ab", "cd").text()).isEqualTo("abcd");
    assertThat(of(4, "abcd").text()).isEqualTo("abcd");
    assertThat(of(4).text()).isEmpty();
  }

  @Test
  void overTheCapTheRestIsCountedAndNoted() {
    CappedOutput output = of(4, "ab", "cdef", "gh");
    assertThat(output.total()).isEqualTo(8);
    assertThat(output.text()).isEqualTo("abcd\n[output truncated: 8 bytes in total, the first 4 shown]\n");
  }

  @Test
  void aCharacterCutByTheCapIsDroppedWhole() {
    // "a" + "€" (3 bytes) + "é" (2 bytes): a cap of 3 would split the euro sign
    assertThat(of(3, "a€é").text()).isEqualTo("a\n[output truncated: 6 bytes in total, the first 1 shown]\n");
    assertThat(of(4, "a€é").text()).isEqualTo("a€\n[output truncated: 6 bytes in total, the first 4 shown]\n");
    assertThat(of(5, "a€é").text()).isEqualTo("a€\n[output truncated: 6 bytes in total, the first 4 shown]\n");
    assertThat(of(4, "😀x").text()).isEqualTo("😀\n[output truncated: 5 bytes in total, the first 4 shown]\n");
    assertThat(of(3, "😀x").text()).isEqualTo("[output truncated: 5 bytes in total, the first 0 shown]\n");
  }
}
