package ai.spacebot.bench;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import ai.spacebot.memory.RecallQuery;
import ai.spacebot.memory.embedded.EmbeddedMemoryStore;
import ai.spacebot.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Embedded memory store: save throughput (embedding included) and hybrid recall latency, with the
 * query's embedding timed separately. Synthetic but varied sentences from a fixed seed.
 *
 * <p>Usage: {@code bench/memory-recall.sh [memories=10000] [queries=300]}
 */
public final class MemoryRecallBench {
  private static final String[] SUBJECTS = {"the billing service", "Alice", "the staging cluster", "our mobile app", "the release train",
      "Bob", "the data warehouse", "the VPN", "the design review", "customer support", "the GPU budget", "the on-call rotation"};
  private static final String[] VERBS = {"moved to", "depends on", "was delayed by", "prefers", "was replaced by", "needs",
      "is owned by", "broke because of", "will migrate to", "talked about"};
  private static final String[] OBJECTS = {"PostgreSQL", "Kubernetes", "a new vendor", "the Frankfurt region", "weekly demos",
      "Grafana dashboards", "a faster laptop", "the Q3 roadmap", "tea in the morning", "the security audit", "Rust", "a four-day week"};

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("spacebot-memory-bench");
    Database db = Database.open(vertx, dir.resolve("spacebot.db")).await();
    Embeddings embeddings = new Embeddings(vertx);
    EmbeddedMemoryStore store = new EmbeddedMemoryStore(vertx, db, embeddings, dir.resolve("lucene"));
    embeddings.embed("warm up").await();
    Random random = new Random(42);

    long start = System.nanoTime();
    int inFlight = 8;
    List<Future<?>> window = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      MemoryType type = MemoryType.values()[random.nextInt(MemoryType.values().length)];
      if (type == MemoryType.HUMAN) {
        type = MemoryType.FACT; // human memories merge per person; keep the count exact
      }
      window.add(store.save(new NewMemory("main", sentence(random, i), type, null, "bench", null, List.of(), null, List.of())));
      if (window.size() == inFlight) {
        Future.all(window).await();
        window.clear();
      }
    }
    Future.all(window).await();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("saved %d memories in %.1f s: %.0f memories/s (embedding included, %d in flight)%n", count, seconds,
        count / seconds, inFlight);

    long[] embed = new long[queries];
    long[] recall = new long[queries];
    for (int q = 0; q < queries + 20; q++) {
      String text = sentence(random, -1);
      long t0 = System.nanoTime();
      embeddings.embed(text).await();
      long t1 = System.nanoTime();
      store.recall(RecallQuery.hybrid("main", text, 10)).await();
      long t2 = System.nanoTime();
      if (q >= 20) {
        embed[q - 20] = t1 - t0;
        // recall embeds the query again inside; subtract one embedding's time to report search alone
        recall[q - 20] = Math.max(0, (t2 - t1) - (t1 - t0));
      }
    }
    Arrays.sort(embed);
    Arrays.sort(recall);
    System.out.printf("query embedding ms: p50=%.2f p99=%.2f%n", embed[queries / 2] / 1e6, embed[queries * 99 / 100] / 1e6);
    System.out.printf("hybrid recall without embedding ms (%d memories): p50=%.2f p99=%.2f%n", count, recall[queries / 2] / 1e6,
        recall[queries * 99 / 100] / 1e6);
    store.close().await();
    db.close().await();
    vertx.close().await();
  }

  private static String sentence(Random r, int i) {
    String s = SUBJECTS[r.nextInt(SUBJECTS.length)] + " " + VERBS[r.nextInt(VERBS.length)] + " " + OBJECTS[r.nextInt(OBJECTS.length)];
    return i < 0 ? s : s + " (note " + i + ", " + OBJECTS[r.nextInt(OBJECTS.length)] + " mentioned too)";
  }
}
