package ai.spacebot.bench.quality;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Prints the runs as Markdown tables (for docs/BENCHMARKS.md) and the diagnostics behind them. */
final class Report {
  private final Corpus corpus;
  private final Map<String, Corpus.Message> messages = new LinkedHashMap<>();

  Report(Corpus corpus) {
    this.corpus = corpus;
    corpus.messages().forEach(m -> messages.put(m.id(), m));
  }

  /** One row per way of recalling: all questions at each k, then recall@5 per question group. */
  void summary(PrintStream out, List<Run> modes, List<Run> diagnostics) {
    Map<String, Predicate<Corpus.Question>> groups = groups();
    StringBuilder head = new StringBuilder("| list | association edges | recall@1 | recall@5 | recall@10 | MRR |");
    StringBuilder rule = new StringBuilder("|---|---|---|---|---|---|");
    groups.keySet().stream().skip(1).forEach(g -> {
      head.append(' ').append(g).append(" (").append(count(groups.get(g))).append(") R@5 |");
      rule.append("---|");
    });
    out.println(head);
    out.println(rule);
    List<Run> all = new ArrayList<>(modes);
    all.addAll(diagnostics);
    for (Run run : all) {
      Outcome.Summary s = run.summary(q -> true);
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f |", label(run, modes),
          run.edges(), s.at1(), s.at5(), s.at10(), s.mrr()));
      groups.entrySet().stream().skip(1).forEach(g -> row.append(String.format(Locale.ROOT, " %.3f |", run.summary(g.getValue()).at5())));
      out.println(row);
    }
  }

  /** Every measure per question group, for the store's own modes. */
  void byKind(PrintStream out, List<Run> modes) {
    out.println("| questions | list | association edges | recall@1 | recall@5 | recall@10 | MRR |");
    out.println("|---|---|---|---|---|---|---|");
    for (Map.Entry<String, Predicate<Corpus.Question>> group : groups().entrySet()) {
      for (Run run : modes) {
        Outcome.Summary s = run.summary(group.getValue());
        out.printf(Locale.ROOT, "| %s (%d) | %s | %s | %.3f | %.3f | %.3f | %.3f |%n", group.getKey(), count(group.getValue()),
            run.label(), run.edges(), s.at1(), s.at5(), s.at10(), s.mrr());
      }
    }
  }

  /** Diagnostics are set in italics so they are not read as store modes. */
  private static String label(Run run, List<Run> modes) {
    return modes.contains(run) ? run.label() : "*" + run.label() + "*";
  }

  private int count(Predicate<Corpus.Question> which) {
    return (int) corpus.questions().stream().filter(which).count();
  }

  private Map<String, Predicate<Corpus.Question>> groups() {
    Map<String, Predicate<Corpus.Question>> g = new LinkedHashMap<>();
    g.put("all", q -> true);
    for (QuestionKind k : QuestionKind.values()) {
      g.put(k.wireName(), q -> q.kind() == k);
    }
    g.put("multi-evidence", q -> q.evidence().size() > 1);
    return g;
  }

  /** Where fusion wins and loses against each single list, by the first evidence rank. */
  void headToHead(PrintStream out, Run hybrid, Run text, Run vector) {
    int beatsBoth = 0;
    int losesToBest = 0;
    int losesToText = 0;
    int losesToVector = 0;
    int missedByAll = 0;
    for (Corpus.Question q : corpus.questions()) {
      int h = rank(hybrid.of(q));
      int t = rank(text.of(q));
      int v = rank(vector.of(q));
      if (h == Integer.MAX_VALUE && t == Integer.MAX_VALUE && v == Integer.MAX_VALUE) {
        missedByAll++;
        continue;
      }
      beatsBoth += h < Math.min(t, v) ? 1 : 0;
      losesToBest += h > Math.min(t, v) ? 1 : 0;
      losesToText += h > t ? 1 : 0;
      losesToVector += h > v ? 1 : 0;
    }
    out.printf("%s vs single lists, by first evidence rank over %d questions: better than both on %d, worse than the better"
        + " list on %d (worse than full-text on %d, than vector on %d); no list found any evidence on %d%n", hybrid.label()
        + (hybrid.edges().equals("none") ? "" : " (" + hybrid.edges() + " edges)"), corpus.questions().size(), beatsBoth,
        losesToBest, losesToText, losesToVector, missedByAll);
  }

  /** What took first place when it was not evidence: which kind of distractor wins. */
  void topMisses(PrintStream out, List<Run> runs) {
    for (Run run : runs) {
      Map<String, Integer> roles = new TreeMap<>();
      for (Outcome o : run.outcomes().values()) {
        if (o.messages().isEmpty()) {
          roles.merge("(nothing)", 1, Integer::sum);
        } else if (!o.question().evidence().contains(o.messages().get(0))) {
          Corpus.Message top = messages.get(o.messages().get(0));
          String role = top.role().equals("evidence") ? "other fact" : top.role();
          roles.merge(top.conversation().equals(o.question().conversation()) ? role : role + " (other conversation)", 1,
              Integer::sum);
        }
      }
      out.printf("top-1 not evidence, %s%s: %s%n", run.label(), run.edges().equals("none") || run.edges().equals("-") ? ""
          : " + edges", roles);
    }
  }

  /** Per-topic recall@5, and the questions where hybrid falls behind the better single list. */
  void details(PrintStream out, Run hybrid, Run text, Run vector) {
    Map<String, List<Corpus.Question>> byTopic = new TreeMap<>();
    corpus.questions().forEach(q -> byTopic.computeIfAbsent(q.topic(), t -> new ArrayList<>()).add(q));
    out.println("recall@5 by topic: full-text / vector / hybrid");
    byTopic.forEach((topic, qs) -> out.printf(Locale.ROOT, "  %-16s %2d  %.2f / %.2f / %.2f%n", topic, qs.size(),
        text.summary(qs::contains).at5(), vector.summary(qs::contains).at5(), hybrid.summary(qs::contains).at5()));
    out.println("questions where hybrid ranks the first evidence below the better single list (ranks: full-text, vector, hybrid; 0 = absent):");
    for (Corpus.Question q : corpus.questions()) {
      int h = rank(hybrid.of(q));
      int best = Math.min(rank(text.of(q)), rank(vector.of(q)));
      if (h > best) {
        out.printf("  %s [%s] %s  ft=%d vec=%d hyb=%d  top: %s%n", q.id(), q.kind().wireName(), q.text(), text.of(q).firstRank(),
            vector.of(q).firstRank(), hybrid.of(q).firstRank(), content(hybrid.of(q)));
      }
    }
  }

  private String content(Outcome o) {
    return o.messages().isEmpty() ? "-" : messages.get(o.messages().get(0)).content();
  }

  private static int rank(Outcome o) {
    int r = o.firstRank();
    return r == 0 ? Integer.MAX_VALUE : r;
  }
}
