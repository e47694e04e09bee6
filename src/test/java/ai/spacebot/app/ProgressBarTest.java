package ai.spacebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void aLineShowsShareRateAndEta() {
    ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), "memories", 1000, false);
    long start = System.nanoTime();
    // 250 done; the line is computed as if 5 s had passed since the bar was made: 50/s, 750 left = 15 s.
    String line = bar.line(250, start + 5_000_000_000L);
    assertThat(line).startsWith("[#######.......................]  25% 250/1000 memories").contains("50/s").endsWith("ETA 0:15");
    assertThat(bar.line(1000, start + 20_000_000_000L)).contains("100%").endsWith("ETA 0:00");
  }

  @Test
  void withoutATerminalItPrintsPlainLinesAndNoCarriageReturns() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(sink, true, StandardCharsets.UTF_8), "memories", 3, false);
    bar.update(1);
    bar.update(2); // within two seconds of the last line: not printed
    bar.update(3); // the end is always printed
    bar.finish(3, "Done.");
    String out = sink.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\r");
    assertThat(out.lines()).hasSize(3);
    assertThat(out.lines().toList().get(1)).contains("3/3 memories");
    assertThat(out).endsWith("Done.\n");
  }

  @Test
  void onATerminalItRedrawsInPlace() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(sink, true, StandardCharsets.UTF_8), "memories", 2, true);
    bar.update(1);
    bar.update(2);
    bar.finish(2, "Done.");
    String out = sink.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("\r[").contains("\r[").endsWith("Done.\n");
    assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(3);
  }
}
