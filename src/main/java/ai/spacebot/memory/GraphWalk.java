package ai.spacebot.memory;

import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph list of hybrid recall, the same for every backend: seeds are full-text hits with
 * importance ≥ 0.8; the walk follows edges both ways to depth 2, and a reached memory scores
 * parent score × importance × edge weight × relation multiplier. The list holds what the walk reached,
 * not the seeds: they are full-text hits already, and counting them twice put hybrid far behind the
 * vector list alone (bench/retrieval-quality.sh). A backend supplies the edge rows of each step.
 */
public final class GraphWalk {
  public static final double SEED_IMPORTANCE = 0.8;
  public static final int DEPTH = 2;

  private final Map<String, Double> scores = new LinkedHashMap<>();
  private final Set<String> seeds;

  /** Seeds in full-text rank order, so that equal scores come out in the same order every time. */
  public GraphWalk(List<String> textHits, Map<String, Double> importanceOfSeeds) {
    textHits.stream().filter(importanceOfSeeds::containsKey).forEach(id -> scores.put(id, importanceOfSeeds.get(id)));
    seeds = Set.copyOf(scores.keySet());
  }

  public List<String> seeds() {
    return List.copyOf(scores.keySet());
  }

  /**
   * One step from {@code frontier} over edge rows with columns source_id, target_id, relation_type,
   * weight, other (the memory across the edge), importance and memory_type (of that memory); returns
   * the next frontier.
   */
  public List<String> step(List<String> frontier, Iterable<Row> rows, MemoryType type) {
    List<String> next = new ArrayList<>();
    for (Row r : rows) {
      String from = frontier.contains(r.getString("source_id")) ? r.getString("source_id") : r.getString("target_id");
      String other = r.getString("other");
      if (type != null && !type.wireName().equals(r.getString("memory_type"))) {
        continue;
      }
      double score = scores.getOrDefault(from, 1.0) * r.getDouble("importance") * r.getDouble("weight")
          * RelationType.parse(r.getString("relation_type")).multiplier();
      if (score > scores.getOrDefault(other, 0.0)) {
        if (!scores.containsKey(other)) {
          next.add(other);
        }
        scores.put(other, score);
      }
    }
    return next;
  }

  /** The reached memories, best first, at most n. */
  public List<String> ranked(int n) {
    return scores.entrySet().stream().filter(e -> !seeds.contains(e.getKey()))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n).map(Map.Entry::getKey).toList();
  }
}
