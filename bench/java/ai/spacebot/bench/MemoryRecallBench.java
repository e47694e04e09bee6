package ai.spacebot.bench;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import ai.spacebot.memory.RecallQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Memory store benchmark on either backend: import throughput (batch save, embedding included),
 * single-save throughput, and recall latency per mode with the query's embedding excluded (it is
 * embedded first, and recall then finds it in the embedding cache; its cost is reported on its own).
 * Synthetic but varied sentences from a fixed seed.
 *
 * <p>Usage: {@code bench/memory-recall.sh [memories=10000] [queries=500] [store=embedded|postgres]}
 */
public final class MemoryRecallBench {
  private static final String[] SUBJECTS = {"the billing service", "Alice", "the staging cluster", "our mobile app", "the release train",
      "Bob", "the data warehouse", "the VPN", "the design review", "customer support", "the GPU budget", "the on-call rotation"};
  private static final String[] VERBS = {"moved to", "depends on", "was delayed by", "prefers", "was replaced by", "needs",
      "is owned by", "broke because of", "will migrate to", "talked about"};
  private static final String[] OBJECTS = {"PostgreSQL", "Kubernetes", "a new vendor", "the Frankfurt region", "weekly demos",
      "Grafana dashboards", "a faster laptop", "the Q3 roadmap", "tea in the morning", "the security audit", "Rust", "a four-day week"};
  private static final int BATCH = 256;
  private static final int WARMUP_SECONDS = 40;

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    String kind = args.length > 2 ? args[2] : "embedded";
    Vertx vertx = Vertx.vertx();
    Embeddings embeddings = new Embeddings(vertx);
    BenchStores.Opened opened = BenchStores.open(kind, vertx, embeddings);
    MemoryStore store = opened.store();
    embeddings.embed("warm up").await();
    Random random = new Random(42);

    long start = System.nanoTime();
    List<NewMemory> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(memory(random, i));
      if (batch.size() == BATCH || i == count - 1) {
        store.saveAll(batch).await();
        batch.clear();
      }
      if ((i + 1) % 10_000 == 0) {
        System.out.printf("  imported %d (%.0f/s)%n", i + 1, (i + 1) / ((System.nanoTime() - start) / 1e9));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("[%s] imported %d memories in %.1f s: %.0f memories/s (batches of %d, embedding included)%n", kind, count, seconds,
        count / seconds, BATCH);

    int singles = 500;
    start = System.nanoTime();
    List<Future<?>> window = new ArrayList<>();
    for (int i = 0; i < singles; i++) {
      window.add(store.save(memory(random, count + i)));
      if (window.size() == 8) {
        Future.all(window).await();
        window.clear();
      }
    }
    Future.all(window).await();
    seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("[%s] single saves: %.0f memories/s (8 in flight; embedding and consolidation advice included)%n", kind,
        singles / seconds);

    // Warm the JIT on the recall path before measuring: the first ~40 s run visibly slower here.
    long warmUntil = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
    int warm = 0;
    while (System.nanoTime() < warmUntil) {
      String text = sentence(random, -1);
      embeddings.embed(text).await();
      store.recall(new RecallQuery("main", text, 10, RecallQuery.Mode.values()[warm % 3 == 0 ? 0 : warm % 3 == 1 ? 4 : 5], null)).await();
      warm++;
    }
    System.out.printf("[%s] warm-up: %d recalls in %d s%n", kind, warm, WARMUP_SECONDS);

    long[] embed = new long[queries];
    for (RecallQuery.Mode mode : new RecallQuery.Mode[] {RecallQuery.Mode.HYBRID, RecallQuery.Mode.FULLTEXT, RecallQuery.Mode.VECTOR}) {
      long[] recall = new long[queries];
      for (int q = 0; q < queries; q++) {
        String text = sentence(random, -1) + " " + q; // distinct text: the embedding cache must not serve a second query
        long t0 = System.nanoTime();
        embeddings.embed(text).await();
        long t1 = System.nanoTime();
        store.recall(new RecallQuery("main", text, 10, mode, null)).await();
        recall[q] = System.nanoTime() - t1;
        if (mode == RecallQuery.Mode.HYBRID) {
          embed[q] = t1 - t0;
        }
      }
      Arrays.sort(recall);
      System.out.printf("[%s] %-8s recall without embedding ms (%d memories, %d queries): p50=%.2f p90=%.2f p99=%.2f%n", kind,
          mode.name().toLowerCase(), count + singles, queries, ms(recall, 50), ms(recall, 90), ms(recall, 99));
    }
    Arrays.sort(embed);
    System.out.printf("[%s] query embedding ms: p50=%.2f p99=%.2f%n", kind, ms(embed, 50), ms(embed, 99));
    opened.close().await();
    vertx.close().await();
  }

  private static double ms(long[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }

  private static NewMemory memory(Random random, int i) {
    MemoryType type = MemoryType.values()[random.nextInt(MemoryType.values().length)];
    if (type == MemoryType.HUMAN) {
      type = MemoryType.FACT; // human memories merge per person; keep the count exact
    }
    return new NewMemory("main", sentence(random, i), type, null, "bench", null, List.of(), null, List.of());
  }

  static String sentence(Random r, int i) {
    String s = SUBJECTS[r.nextInt(SUBJECTS.length)] + " " + VERBS[r.nextInt(VERBS.length)] + " " + OBJECTS[r.nextInt(OBJECTS.length)];
    return i < 0 ? s : s + " (note " + i + ", " + OBJECTS[r.nextInt(OBJECTS.length)] + " mentioned too)";
  }
}
