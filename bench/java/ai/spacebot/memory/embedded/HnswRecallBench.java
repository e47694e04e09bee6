package ai.spacebot.memory.embedded;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.MemoryType;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * HNSW recall@10 of the embedded index against exact cosine search over the same MiniLM vectors,
 * plus batch embedding throughput. In the package of {@link LuceneIndex} to measure it directly.
 *
 * <p>Usage: {@code bench/hnsw-recall.sh [vectors=10000] [queries=200]}
 */
public final class HnswRecallBench {
  private static final String[] WORDS = ("billing staging cluster mobile release train data warehouse vpn design review support "
      + "budget rotation postgres kubernetes vendor region demos dashboards laptop roadmap tea audit rust week alice bob dana "
      + "deploy freeze friday outage disk backup nightly wiki printer coffee lunch parking office floor certificate expiry").split(" ");

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Vertx vertx = Vertx.vertx();
    Embeddings embeddings = new Embeddings(vertx);
    Random random = new Random(7);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count + queries; i++) {
      StringBuilder s = new StringBuilder();
      for (int w = 0; w < 6 + random.nextInt(8); w++) {
        s.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      texts.add(s.toString().strip());
    }
    long t0 = System.nanoTime();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < texts.size(); i += 64) {
      vectors.addAll(embeddings.embedAll(texts.subList(i, Math.min(texts.size(), i + 64))).await());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("batch embedding: %d texts in %.1f s = %.0f texts/s%n", texts.size(), secs, texts.size() / secs);

    try (LuceneIndex index = new LuceneIndex(Files.createTempDirectory("hnsw-bench"))) {
      for (int i = 0; i < count; i++) {
        index.upsert("m" + i, MemoryType.FACT, texts.get(i), vectors.get(i), i + 1);
      }
      int hits = 0;
      long searchNanos = 0;
      for (int q = 0; q < queries; q++) {
        float[] query = vectors.get(count + q);
        Set<String> exact = new HashSet<>(IntStream.range(0, count).boxed()
            .sorted(Comparator.comparingDouble(i -> -Embeddings.cosine(query, vectors.get(i)))).limit(10).map(i -> "m" + i).toList());
        long s = System.nanoTime();
        List<String> approx = index.searchVector(query, 10, null);
        searchNanos += System.nanoTime() - s;
        hits += (int) approx.stream().filter(exact::contains).count();
      }
      System.out.printf("HNSW recall@10 over %d vectors: %.3f (%d queries); mean KNN search %.2f ms%n", count,
          hits / (10.0 * queries), queries, searchNanos / 1e6 / queries);
    }
    vertx.close().await();
  }
}
