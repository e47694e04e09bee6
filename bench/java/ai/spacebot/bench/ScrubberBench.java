package ai.spacebot.bench;

import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.secrets.KnownSecrets;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.secrets.SecretCategory;
import ai.spacebot.secrets.SecretScrubber;
import ai.spacebot.secrets.StreamGuard;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The leak scrubber on the hot path: a 2 KB reply, 10 known secrets (each in its ~17 encoded forms), timed per
 * call after warm-up. Rows: known values only (tool results, process reports), known values + credential
 * patterns (events, log lines), the outbound seal (a reply to people), a whole reply streamed through the
 * hold-back in 4-character deltas, and the matcher rebuild after the known values change.
 *
 * <p>Usage: {@code bench/scrubber.sh [calls=20000]}
 */
public final class ScrubberBench {
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    KnownSecrets secrets = new KnownSecrets();
    Random random = new Random(7);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String[] values = new String[10];
    for (int i = 0; i < values.length; i++) {
      StringBuilder v = new StringBuilder();
      for (int n = 0; n < 20 + 4 * i; n++) {
        v.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      values[i] = v.toString();
      secrets.put("SECRET_" + i, values[i], i % 2 == 0 ? SecretCategory.SYSTEM : SecretCategory.TOOL);
    }
    SecretScrubber scrubber = new SecretScrubber(secrets);
    String prose = "Here is what I found in the repository: the build runs `mvn -B verify`, the tests take about "
        + "four minutes on two cores, and the release notes mention version 1.2.3 and https://example.org/docs. ";
    StringBuilder reply = new StringBuilder();
    while (reply.length() < 2048) {
      reply.append(prose);
    }
    String clean = reply.substring(0, 2048);
    String withSecrets = clean.substring(0, 700) + values[3] + clean.substring(700, 1500) + values[8]
        + clean.substring(1500, 2048 - values[3].length() - values[8].length());
    OutboundGuard guard = new OutboundGuard(scrubber);
    OutboundMessage message = new OutboundMessage("m", OutboundMessage.MESSAGE, "main", "portal", "c", withSecrets,
        null, "k");
    scrubber.redact("warm");

    row("redact, known values (2 KB, none inside)", calls, () -> scrubber.redact(clean));
    row("redact, known values (2 KB, 2 inside)", calls, () -> scrubber.redact(withSecrets));
    row("redactAll, values + patterns (2 KB)", calls, () -> scrubber.redactAll(withSecrets));
    row("seal an outbound reply (2 KB)", calls, () -> guard.seal(message));
    io.vertx.core.json.JsonObject delta = new ai.spacebot.bus.AgentEvent.OutboundDelta("main", "c", "abcd",
        withSecrets).toJson();
    row("an outbound_message_delta event (2 KB aggregated)", calls,
        () -> ai.spacebot.secrets.JsonRedaction.apply(delta, scrubber::redactAll));
    row("stream a 2 KB reply, 4-char deltas (whole reply)", Math.max(200, calls / 100), () -> {
      StreamGuard stream = new StreamGuard(scrubber);
      String last = null;
      for (int i = 4; i < withSecrets.length(); i += 4) {
        last = stream.visible(withSecrets.substring(0, i));
      }
      return stream.finish(withSecrets) + last;
    });
    int[] flip = {0};
    row("rebuild after a change, then redact (10 secrets)", 500, () -> {
      secrets.put("FLIP", "flip-value-" + (flip[0]++), SecretCategory.TOOL);
      return scrubber.redact(clean);
    });
  }

  private static void row(String name, int calls, Supplier<Object> work) {
    long sink = 0;
    for (int i = 0; i < calls; i++) { // warm-up
      sink += String.valueOf(work.get()).length();
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      Object out = work.get();
      nanos[i] = System.nanoTime() - start;
      sink += out == null ? 0 : 1;
    }
    Arrays.sort(nanos);
    System.out.printf("%-52s p50 %8.1f µs   p99 %8.1f µs%s%n", name, nanos[calls / 2] / 1e3,
        nanos[(int) (calls * 0.99)] / 1e3, sink == 42 ? " " : "");
  }
}
