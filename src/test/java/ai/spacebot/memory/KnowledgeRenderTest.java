package ai.spacebot.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnowledgeRenderTest {
  private static Memory m(MemoryType type, String content) {
    return new Memory(content.hashCode() + "", "main", content, type, type.defaultImportance(), 1, 1, 1, 0, false, null, null,
        List.of(), null);
  }

  private static List<Memory> many(MemoryType type, int n, String words) {
    List<Memory> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(m(type, type.wireName() + " " + i + " " + words));
    }
    return out;
  }

  @Test
  void sectionsInOrderWithCutSectionsTitledShownOfTotal() {
    String text = KnowledgeRender.render(
        Map.of(MemoryType.FACT, many(MemoryType.FACT, 10, "about things"), MemoryType.GOAL, many(MemoryType.GOAL, 2, "ship it"),
            MemoryType.IDENTITY, List.of(m(MemoryType.IDENTITY, "I am Spacebot."))),
        Map.of(MemoryType.FACT, 37, MemoryType.GOAL, 2, MemoryType.IDENTITY, 1));
    assertThat(text).contains("## Identity\n- I am Spacebot.").contains("## Facts — 10 shown of 37").contains("## Goals\n");
    assertThat(text.indexOf("## Identity")).isLessThan(text.indexOf("## Facts"));
    assertThat(text.indexOf("## Facts")).isLessThan(text.indexOf("## Goals"));
    assertThat(text).doesNotContain("## Decisions");
  }

  @Test
  void neverMoreThanFiveHundredWordsAndCutsAreCountedHonestly() {
    String long40 = "word ".repeat(40).strip();
    String text = KnowledgeRender.render(Map.of(MemoryType.FACT, many(MemoryType.FACT, 10, long40),
        MemoryType.DECISION, many(MemoryType.DECISION, 10, long40), MemoryType.TODO, many(MemoryType.TODO, 10, long40)),
        Map.of(MemoryType.FACT, 10, MemoryType.DECISION, 10, MemoryType.TODO, 10));
    assertThat(KnowledgeRender.wordCount(text.replaceAll("[#—-]", " "))).isLessThanOrEqualTo(KnowledgeRender.MAX_WORDS + 30);
    assertThat(text).contains("## Facts\n").containsPattern("## Decisions — \\d shown of 10");
    assertThat(text).doesNotContain("## Todos");
  }

  @Test
  void sameInputSameOutput() {
    Map<MemoryType, List<Memory>> top = Map.of(MemoryType.FACT, many(MemoryType.FACT, 3, "x"));
    assertThat(KnowledgeRender.render(top, Map.of(MemoryType.FACT, 3))).isEqualTo(KnowledgeRender.render(top, Map.of(MemoryType.FACT, 3)));
  }
}
