package ai.spacebot.memory;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic knowledge section of the channel prompt: no LLM, at most 500 words. Sections in
 * a fixed order with a cap each; a section that shows fewer than its type holds is titled
 * "X — N shown of M". Within a section, most important first, then newest.
 */
public final class KnowledgeRender {
  public static final int MAX_WORDS = 500;

  /** Section title, type, cap — in render order. */
  private record Section(String title, MemoryType type, int cap) {}

  private static final List<Section> SECTIONS = List.of(
      new Section("Identity", MemoryType.IDENTITY, 10),
      new Section("Facts", MemoryType.FACT, 10),
      new Section("Decisions", MemoryType.DECISION, 10),
      new Section("Preferences", MemoryType.PREFERENCE, 10),
      new Section("Goals", MemoryType.GOAL, 10),
      new Section("Observations", MemoryType.OBSERVATION, 8),
      new Section("Todos", MemoryType.TODO, 10));

  private KnowledgeRender() {}

  /** Loads what the render needs from a store and renders it. */
  public static Future<String> render(MemoryStore store, String agentId) {
    return store.counts(agentId).compose(counts -> {
      Map<MemoryType, Future<List<Memory>>> tops = new LinkedHashMap<>();
      for (Section s : SECTIONS) {
        tops.put(s.type(), counts.getOrDefault(s.type(), 0) == 0 ? Future.succeededFuture(List.of()) : store.top(agentId, s.type(), s.cap()));
      }
      return Future.all(new ArrayList<>(tops.values())).map(all -> {
        Map<MemoryType, List<Memory>> top = new LinkedHashMap<>();
        tops.forEach((type, f) -> top.put(type, f.result()));
        return render(top, counts);
      });
    });
  }

  /** Pure: the most important memories per type (best first) and the totals per type. */
  public static String render(Map<MemoryType, List<Memory>> top, Map<MemoryType, Integer> totals) {
    StringBuilder out = new StringBuilder();
    int words = 0;
    for (Section s : SECTIONS) {
      List<Memory> candidates = top.getOrDefault(s.type(), List.of());
      int total = Math.max(totals.getOrDefault(s.type(), 0), candidates.size());
      if (candidates.isEmpty() || words >= MAX_WORDS) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      int headerWords = 4;
      for (Memory m : candidates.subList(0, Math.min(s.cap(), candidates.size()))) {
        int w = wordCount(m.content());
        if (words + headerWords + w > MAX_WORDS) {
          break;
        }
        lines.add("- " + m.content().strip().replaceAll("\\s+", " "));
        words += w;
      }
      if (lines.isEmpty()) {
        continue;
      }
      words += headerWords;
      out.append("## ").append(s.title());
      if (lines.size() < total) {
        out.append(" — ").append(lines.size()).append(" shown of ").append(total);
      }
      out.append('\n');
      lines.forEach(l -> out.append(l).append('\n'));
      out.append('\n');
    }
    return out.toString().strip();
  }

  static int wordCount(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
