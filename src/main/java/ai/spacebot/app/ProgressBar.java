package ai.spacebot.app;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress of a long CLI operation with rate and ETA: redrawn in place on a terminal, and as a plain
 * line at most every two seconds otherwise (logs and pipes should not fill with carriage returns).
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

  private final PrintStream out;
  private final String unit;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private long lastPlain;
  private int total;

  ProgressBar(PrintStream out, String unit, int total, boolean terminal) {
    this.out = out;
    this.unit = unit;
    this.total = total;
    this.terminal = terminal;
  }

  static ProgressBar forStdout(String unit, int total) {
    return new ProgressBar(System.out, unit, total, System.console() != null);
  }

  void update(int done, int newTotal) {
    total = Math.max(newTotal, done);
    update(done);
  }

  void update(int done) {
    long now = System.nanoTime();
    if (terminal) {
      out.print("\r" + line(done, now));
      out.flush();
    } else if (now - lastPlain >= PLAIN_EVERY_NANOS || done >= total) {
      out.println(line(done, now));
      lastPlain = now;
    }
  }

  /** Ends the bar with a summary line. */
  void finish(int done, String summary) {
    if (terminal) {
      out.print("\r" + line(done, System.nanoTime()) + "\n");
    }
    out.println(summary);
  }

  String line(int done, long now) {
    double seconds = Math.max((now - started) / 1e9, 1e-3);
    double rate = done / seconds;
    int pct = total == 0 ? 100 : (int) Math.min(100, done * 100L / total);
    int filled = WIDTH * pct / 100;
    String eta = rate <= 0 || done >= total ? "0:00" : clock(Duration.ofSeconds((long) ((total - done) / rate)));
    return String.format("[%s%s] %3d%% %d/%d %s  %.0f/s  ETA %s", "#".repeat(filled), ".".repeat(WIDTH - filled), pct, done, total,
        unit, rate, eta);
  }

  private static String clock(Duration d) {
    long s = d.getSeconds();
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
  }
}
