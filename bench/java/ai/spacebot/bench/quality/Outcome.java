package ai.spacebot.bench.quality;

import java.util.List;

/**
 * What one recall returned for one question, as message ids best first.
 *
 * <p>Evidence recall@k is the fraction of the question's evidence messages within the top k (for a
 * one-message question: hit or miss); the reciprocal rank is 1 / the rank of the first evidence
 * message, 0 when none came back.
 */
record Outcome(Corpus.Question question, List<String> messages) {

  double recallAt(int k) {
    List<String> top = messages.subList(0, Math.min(k, messages.size()));
    long found = question.evidence().stream().filter(top::contains).count();
    return (double) found / question.evidence().size();
  }

  double reciprocalRank() {
    int rank = firstRank();
    return rank == 0 ? 0 : 1.0 / rank;
  }

  /** 1-based rank of the first evidence message; 0 when none came back. */
  int firstRank() {
    for (int i = 0; i < messages.size(); i++) {
      if (question.evidence().contains(messages.get(i))) {
        return i + 1;
      }
    }
    return 0;
  }

  /** Means over a set of outcomes. */
  record Summary(int questions, double at1, double at5, double at10, double mrr) {
    static Summary of(List<Outcome> outcomes) {
      int n = outcomes.size();
      return new Summary(n, mean(outcomes, 1), mean(outcomes, 5), mean(outcomes, 10),
          n == 0 ? 0 : outcomes.stream().mapToDouble(Outcome::reciprocalRank).sum() / n);
    }

    private static double mean(List<Outcome> outcomes, int k) {
      return outcomes.isEmpty() ? 0 : outcomes.stream().mapToDouble(o -> o.recallAt(k)).sum() / outcomes.size();
    }
  }
}
