package ai.spacebot.bench.quality;

import ai.spacebot.bench.BenchStores;
import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.MemoryStore.SaveResult;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import ai.spacebot.memory.RecallQuery;
import ai.spacebot.memory.RecallQuery.Mode;
import ai.spacebot.memory.Rrf;
import ai.spacebot.memory.ScoredMemory;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Retrieval quality of the memory store: every message of a generated corpus becomes a memory, and
 * each question is recalled with the full-text list alone, the vector list alone and hybrid fusion,
 * before and after association passes give the graph list edges. Reports evidence recall@1/5/10 and
 * MRR overall and per question kind (see {@link ConversationCorpus} for the data, {@link Outcome} for
 * the measures).
 *
 * <p>Usage: {@code bench/retrieval-quality.sh [--store embedded] [--seed 42] [--batch 200]
 * [--spec bench/data/retrieval-quality-topics.txt] [--corpus-out target/retrieval-quality.jsonl] [--verbose]}
 */
public final class RetrievalQualityBench {
  private static final int K = 10;
  private static final String AGENT = "retrieval-quality";

  private record Options(String store, long seed, int batch, Path spec, Path corpusOut, boolean verbose) {
    static Options parse(String[] args) {
      Map<String, String> named = new HashMap<>();
      boolean verbose = false;
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--verbose")) {
          verbose = true;
        } else if (args[i].startsWith("--") && i + 1 < args.length) {
          named.put(args[i].substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
      }
      named.keySet().forEach(k -> {
        if (!List.of("store", "seed", "batch", "spec", "corpus-out").contains(k)) {
          throw new IllegalArgumentException("unknown option --" + k);
        }
      });
      Options o = new Options(named.getOrDefault("store", "embedded"),
          Long.parseLong(named.getOrDefault("seed", Long.toString(ConversationCorpus.DEFAULT_SEED))),
          Integer.parseInt(named.getOrDefault("batch", "200")),
          Path.of(named.getOrDefault("spec", "bench/data/retrieval-quality-topics.txt")),
          Path.of(named.getOrDefault("corpus-out", "target/retrieval-quality.jsonl")), verbose);
      return o;
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Corpus corpus = ConversationCorpus.generate(CorpusSpec.load(o.spec()), o.seed());
    corpus.writeJsonl(o.corpusOut());
    describe(corpus, o);

    Vertx vertx = Vertx.vertx();
    Embeddings embeddings = new Embeddings(vertx);
    BenchStores.Opened opened = BenchStores.open(o.store(), vertx, embeddings);
    MemoryStore store = opened.store();
    try {
      Map<String, String> messageOf = load(store, corpus, o.batch());
      Run text = run(store, corpus, messageOf, Mode.FULLTEXT, "full-text", "-", Corpus.Question::text);
      Run vector = run(store, corpus, messageOf, Mode.VECTOR, "vector", "-", Corpus.Question::text);
      Run hybrid = run(store, corpus, messageOf, Mode.HYBRID, "hybrid", "none", Corpus.Question::text);
      // Diagnostics, not store modes. Hybrid minus its graph list, fused here exactly as the store fuses
      // (2 x max per list, RRF), shows what the graph list adds or costs; the same questions as bare
      // keywords (what a model writing its own search query might send) show how much the question
      // words cost the full-text list.
      List<Run> diagnostics = List.of(fusedHere(store, corpus, messageOf),
          run(store, corpus, messageOf, Mode.FULLTEXT, "full-text, keyword query", "-", RetrievalQualityBench::keywords),
          run(store, corpus, messageOf, Mode.VECTOR, "vector, keyword query", "-", RetrievalQualityBench::keywords),
          run(store, corpus, messageOf, Mode.HYBRID, "hybrid, keyword query", "none", RetrievalQualityBench::keywords));

      long start = System.nanoTime();
      int edges = 0;
      for (int pass = 0; pass < 20; pass++) {
        int made = store.associate(AGENT, 1_000_000).await();
        edges += made;
        if (made == 0) {
          break;
        }
      }
      System.out.printf(Locale.ROOT, "association passes: %,d edges in %.1f s%n", edges, (System.nanoTime() - start) / 1e9);
      Run linked = run(store, corpus, messageOf, Mode.HYBRID, "hybrid", String.format(Locale.ROOT, "%,d", edges),
          Corpus.Question::text);
      List<Run> modes = List.of(text, vector, hybrid, linked);

      Report report = new Report(corpus);
      System.out.println();
      report.summary(System.out, modes, diagnostics);
      System.out.println();
      report.byKind(System.out, modes);
      System.out.println();
      report.headToHead(System.out, hybrid, text, vector);
      report.headToHead(System.out, linked, text, vector);
      report.topMisses(System.out, modes);
      report.topMisses(System.out, diagnostics.subList(0, 1));
      if (o.verbose()) {
        report.details(System.out, hybrid, text, vector);
      }
    } finally {
      try {
        opened.close().await();
      } finally {
        vertx.close().await();
      }
    }
  }

  private static void describe(Corpus corpus, Options o) {
    long conversations = corpus.messages().stream().map(Corpus.Message::conversation).distinct().count();
    System.out.printf(Locale.ROOT, "corpus (seed %d): %,d messages in %d conversations, %d questions -> %s%n", o.seed(),
        corpus.messages().size(), conversations, corpus.questions().size(), o.corpusOut());
    for (QuestionKind k : QuestionKind.values()) {
      List<Corpus.Question> qs = corpus.questions().stream().filter(q -> q.kind() == k).toList();
      System.out.printf(Locale.ROOT, "  %-10s %3d questions, %d with several evidence messages, %.2f content words shared with the evidence on average%n",
          k.wireName(), qs.size(), qs.stream().filter(q -> q.evidence().size() > 1).count(),
          qs.stream().mapToInt(q -> q.sharedWords().size()).average().orElse(0));
    }
  }

  /** Imports every message with saveAll in batches; returns memory id → message id. */
  private static Map<String, String> load(MemoryStore store, Corpus corpus, int batch) {
    Map<String, String> messageOf = new HashMap<>();
    long start = System.nanoTime();
    List<NewMemory> pending = new ArrayList<>();
    for (Corpus.Message m : corpus.messages()) {
      pending.add(new NewMemory(AGENT, m.content(), MemoryType.parse(m.kind()), null, "retrieval-quality", m.conversation(),
          List.of(m.id()), null, List.of()));
      if (pending.size() == batch) {
        save(store, pending, messageOf);
      }
    }
    save(store, pending, messageOf);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "imported %,d memories in %.1f s (%.0f/s, batches of %d, embedding included)%n", messageOf.size(),
        seconds, messageOf.size() / seconds, batch);
    return messageOf;
  }

  private static void save(MemoryStore store, List<NewMemory> pending, Map<String, String> messageOf) {
    if (pending.isEmpty()) {
      return;
    }
    for (SaveResult r : store.saveAll(List.copyOf(pending)).await()) {
      messageOf.put(r.memory().id(), r.memory().sourceMessageIds().get(0));
    }
    pending.clear();
  }

  private static Run run(MemoryStore store, Corpus corpus, Map<String, String> messageOf, Mode mode, String label, String edges,
      Function<Corpus.Question, String> query) {
    long start = System.nanoTime();
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (Corpus.Question q : corpus.questions()) {
      outcomes.put(q.id(), new Outcome(q, messages(recall(store, query.apply(q), mode, K), messageOf)));
    }
    System.out.printf(Locale.ROOT, "%s%s: %d recalls, %.1f ms each on average%n", label, edges.equals("none") || edges.equals("-")
        ? "" : " with edges", outcomes.size(), (System.nanoTime() - start) / 1e6 / outcomes.size());
    return new Run(label, edges, outcomes);
  }

  private static Run fusedHere(MemoryStore store, Corpus corpus, Map<String, String> messageOf) {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (Corpus.Question q : corpus.questions()) {
      List<String> text = ids(recall(store, q.text(), Mode.FULLTEXT, 2 * K));
      List<String> vector = ids(recall(store, q.text(), Mode.VECTOR, 2 * K));
      List<String> fused = Rrf.fuse(List.of(text, vector)).stream().limit(K).map(Rrf.Fused::id).toList();
      outcomes.put(q.id(), new Outcome(q, fused.stream().map(messageOf::get).toList()));
    }
    return new Run("full-text + vector fused in the harness (no graph list)", "-", outcomes);
  }

  private static List<ScoredMemory> recall(MemoryStore store, String query, Mode mode, int max) {
    return store.recall(new RecallQuery(AGENT, query, max, mode, null)).await();
  }

  private static String keywords(Corpus.Question q) {
    String words = String.join(" ", WordOverlap.contentWords(q.text()));
    return words.isEmpty() ? q.text() : words;
  }

  private static List<String> ids(List<ScoredMemory> results) {
    return results.stream().map(r -> r.memory().id()).toList();
  }

  private static List<String> messages(List<ScoredMemory> results, Map<String, String> messageOf) {
    return results.stream().map(r -> messageOf.get(r.memory().id())).toList();
  }
}
