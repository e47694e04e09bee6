package ai.spacebot.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal Rank Fusion: each list contributes {@code 1 / (k + rank)} (rank from 1) for every id it
 * holds; no list weights. With k = 60, an id ranked first in two lists and absent from the third
 * scores 2/61.
 */
public final class Rrf {
  public static final int K = 60;

  private Rrf() {}

  public record Fused(String id, double score) {}

  public static List<Fused> fuse(List<List<String>> rankedLists) {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (List<String> list : rankedLists) {
      for (int i = 0; i < list.size(); i++) {
        scores.merge(list.get(i), 1.0 / (K + i + 1), Double::sum);
      }
    }
    List<Fused> out = new ArrayList<>();
    scores.forEach((id, score) -> out.add(new Fused(id, score)));
    out.sort(Comparator.comparingDouble(Fused::score).reversed());
    return out;
  }
}
