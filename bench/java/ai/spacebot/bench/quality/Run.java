package ai.spacebot.bench.quality;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One way of recalling (a mode, with or without association edges) and its outcome for every
 * question, keyed by question id.
 */
record Run(String label, String edges, Map<String, Outcome> outcomes) {

  Outcome.Summary summary(Predicate<Corpus.Question> which) {
    List<Outcome> picked = outcomes.values().stream().filter(o -> which.test(o.question())).toList();
    return Outcome.Summary.of(picked);
  }

  Outcome of(Corpus.Question q) {
    return outcomes.get(q.id());
  }
}
