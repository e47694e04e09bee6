package ai.spacebot.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MemoryStore} backend must show. A backend's test extends this and
 * provides a fresh store per test.
 */
public abstract class MemoryStoreContract {
  protected abstract MemoryStore store();

  /** The stored embedding's dimension for a memory, read from the backend's own table. */
  protected abstract int storedDimensions(String memoryId);

  protected static NewMemory memory(String content, MemoryType type) {
    return new NewMemory("main", content, type, null, "test", "portal:chat:main:s", List.of("msg-1"), null, List.of());
  }

  @Test
  void decisionWithoutImportanceGetsPointEightAnEmbeddingAndIsFoundByItsOwnWords() {
    store().save(memory("The team tracks infrastructure costs in a shared spreadsheet.", MemoryType.FACT)).await();
    MemoryStore.SaveResult saved = store().save(memory("We decided to migrate the billing service to PostgreSQL next quarter.",
        MemoryType.DECISION)).await();
    Memory m = saved.memory();
    assertThat(m.importance()).isEqualTo(0.8);
    assertThat(m.sourceMessageIds()).containsExactly("msg-1");
    assertThat(storedDimensions(m.id())).isEqualTo(Embeddings.DIMENSIONS);

    List<ScoredMemory> found = store().recall(RecallQuery.hybrid("main", "migrate billing service to PostgreSQL", 5)).await();
    assertThat(found).isNotEmpty();
    assertThat(found.get(0).memory().id()).isEqualTo(m.id());
    assertThat(found.get(0).score()).isGreaterThan(found.size() > 1 ? found.get(1).score() : 0);
  }

  @Test
  void forgottenMemoriesNeverComeBack() {
    Memory m = store().save(memory("Alice prefers tea over coffee in the morning.", MemoryType.PREFERENCE)).await().memory();
    assertThat(store().forget(m.id()).await()).isTrue();
    assertThat(store().recall(RecallQuery.hybrid("main", "Alice tea coffee morning", 10)).await())
        .noneMatch(s -> s.memory().id().equals(m.id()));
    assertThat(store().recall(new RecallQuery("main", null, 10, RecallQuery.Mode.RECENT, null)).await())
        .noneMatch(s -> s.memory().id().equals(m.id()));
    assertThat(store().get(m.id()).await().orElseThrow().forgotten()).isTrue();
    assertThat(store().forget(m.id()).await()).isFalse();
  }

  @Test
  void recallCountsAsAccess() {
    Memory m = store().save(memory("The staging cluster runs in Frankfurt.", MemoryType.FACT)).await().memory();
    store().recall(RecallQuery.hybrid("main", "staging cluster Frankfurt", 3)).await();
    Memory after = store().get(m.id()).await().orElseThrow();
    assertThat(after.accessCount()).isEqualTo(1);
    assertThat(after.lastAccessedAt()).isGreaterThanOrEqualTo(m.lastAccessedAt());
  }

  @Test
  void aHumanHasOneAnchorAndSavesMergeIntoIt() {
    NewMemory first = new NewMemory("main", "Bob is the on-call SRE this week.", MemoryType.HUMAN, null, null, null, List.of("m1"), "bob", List.of());
    NewMemory second = new NewMemory("main", "Bob likes short status updates.", MemoryType.HUMAN, null, null, null, List.of("m2"), "bob", List.of());
    MemoryStore.SaveResult a = store().save(first).await();
    MemoryStore.SaveResult b = store().save(second).await();
    assertThat(b.merged()).isTrue();
    assertThat(b.memory().id()).isEqualTo(a.memory().id());
    assertThat(b.memory().content()).contains("on-call SRE").contains("short status updates");
    assertThat(b.memory().sourceMessageIds()).containsExactly("m1", "m2");
    assertThat(b.memory().importance()).isEqualTo(0.85);
  }

  @Test
  void anEdgeToAMissingMemoryIsRefused() {
    NewMemory bad = new NewMemory("main", "This follows up on something.", MemoryType.FACT, null, null, null, List.of(), null,
        List.of(new NewMemory.Association("no-such-id", RelationType.UPDATES, 0.5)));
    assertThatThrownBy(() -> store().save(bad).await()).hasMessageContaining("no-such-id").hasMessageContaining("does not exist");
  }

  @Test
  void aNearDuplicateComesWithConsolidationAdvice() {
    Memory first = store().save(memory("The release train leaves every second Tuesday.", MemoryType.FACT)).await().memory();
    MemoryStore.SaveResult again = store().save(memory("The release train leaves every second Tuesday.", MemoryType.FACT)).await();
    assertThat(again.consolidationCandidates()).contains(first.id());
  }

  @Test
  void theGraphWalkBringsInLinkedMemoriesThatShareNoWords() {
    Memory goal = store().save(new NewMemory("main", "Project Apollo must ship before the winter conference.", MemoryType.GOAL,
        null, null, null, List.of(), null, List.of())).await().memory();
    Memory linked = store().save(new NewMemory("main", "Dana owns the mobile release checklist.", MemoryType.FACT, null, null, null,
        List.of(), null, List.of(new NewMemory.Association(goal.id(), RelationType.PART_OF, 0.9)))).await().memory();
    for (int i = 0; i < 5; i++) {
      store().save(memory("Unrelated note number " + i + " about lunch menus and parking.", MemoryType.OBSERVATION)).await();
    }
    List<ScoredMemory> found = store().recall(RecallQuery.hybrid("main", "Apollo", 3)).await();
    assertThat(found.stream().map(s -> s.memory().id())).contains(goal.id(), linked.id());
  }

  @Test
  void recentImportantAndTypedModes() {
    store().save(memory("An old observation about the weather.", MemoryType.OBSERVATION)).await();
    store().save(memory("Our goal is a 99.9% uptime this year.", MemoryType.GOAL)).await();
    Memory latest = store().save(memory("A fresh fact: the office moved to floor 3.", MemoryType.FACT)).await().memory();
    assertThat(store().recall(new RecallQuery("main", null, 1, RecallQuery.Mode.RECENT, null)).await().get(0).memory().id())
        .isEqualTo(latest.id());
    assertThat(store().recall(new RecallQuery("main", null, 1, RecallQuery.Mode.IMPORTANT, null)).await().get(0).memory().type())
        .isEqualTo(MemoryType.GOAL);
    assertThat(store().recall(new RecallQuery("main", null, 10, RecallQuery.Mode.TYPED, MemoryType.OBSERVATION)).await())
        .allMatch(s -> s.memory().type() == MemoryType.OBSERVATION).hasSize(1);
    assertThat(store().recall(new RecallQuery("other-agent", null, 10, RecallQuery.Mode.RECENT, null)).await()).isEmpty();
  }

  @Test
  void consolidationForgetsTheAbsorbedAndLinksThemToTheSurvivor() {
    Memory survivor = store().save(memory("Standup is at 9:30 every weekday.", MemoryType.FACT)).await().memory();
    Memory older = store().save(memory("Standup happens at half past nine.", MemoryType.FACT)).await().memory();
    Memory dup = store().save(memory("Daily standup: 9:30.", MemoryType.FACT)).await().memory();
    assertThat(store().consolidate("main", survivor.id(), List.of(older.id(), dup.id())).await().id()).isEqualTo(survivor.id());
    assertThat(store().get(older.id()).await().orElseThrow().forgotten()).isTrue();
    assertThat(store().get(dup.id()).await().orElseThrow().forgotten()).isTrue();
    MemoryStore.Graph graph = store().graph("main", survivor.id(), 1).await();
    assertThat(graph.nodes()).extracting(Memory::id).containsExactly(survivor.id());
    assertThat(store().recall(RecallQuery.hybrid("main", "standup half past nine", 10)).await())
        .extracting(s -> s.memory().id()).contains(survivor.id()).doesNotContain(older.id(), dup.id());
    assertThatThrownBy(() -> store().consolidate("main", survivor.id(), List.of(older.id())).await())
        .hasMessageContaining(older.id()).hasMessageContaining("does not exist");
  }

  @Test
  void knowledgeRenderShowsTheMostImportantPerSection() {
    store().save(memory("Spacebot is the team's assistant.", MemoryType.IDENTITY)).await();
    store().save(new NewMemory("main", "Deploys freeze on Fridays.", MemoryType.DECISION, 0.95, null, null, List.of(), null, List.of())).await();
    store().save(new NewMemory("main", "Maybe try a new logo.", MemoryType.DECISION, 0.2, null, null, List.of(), null, List.of())).await();
    Memory forgotten = store().save(memory("Lunch is at noon.", MemoryType.FACT)).await().memory();
    store().forget(forgotten.id()).await();
    assertThat(store().counts("main").await()).containsEntry(MemoryType.DECISION, 2).doesNotContainKey(MemoryType.FACT);
    String text = KnowledgeRender.render(store(), "main").await();
    assertThat(text).startsWith("## Identity\n- Spacebot is the team's assistant.");
    assertThat(text.indexOf("Deploys freeze")).isLessThan(text.indexOf("new logo"));
    assertThat(text).doesNotContain("Lunch").doesNotContain("## Facts");
  }

  @Test
  void decayAndPruneSpareIdentity() {
    long day = 86_400_000L;
    Memory identity = store().save(memory("I am the team's assistant.", MemoryType.IDENTITY)).await().memory();
    Memory fact = store().save(memory("The printer is on the second floor.", MemoryType.FACT)).await().memory();
    Memory faint = store().save(new NewMemory("main", "Someone mentioned a podcast once.", MemoryType.OBSERVATION, 0.05, null, null,
        List.of(), null, List.of())).await().memory();

    // Twenty days on, not accessed for more than 30 days? No: 20 days, so no boost either way.
    long later = System.currentTimeMillis() + 20 * day;
    assertThat(store().decay("main", later).await()).isEqualTo(2);
    assertThat(store().get(identity.id()).await().orElseThrow().importance()).isEqualTo(1.0);
    assertThat(store().get(fact.id()).await().orElseThrow().importance()).isCloseTo(0.6 * 0.5, org.assertj.core.api.Assertions.within(1e-6));

    // Older than 30 days and under 0.1: pruned for good; identity never.
    long muchLater = System.currentTimeMillis() + 31 * day;
    assertThat(store().prune("main", muchLater).await()).isEqualTo(1);
    assertThat(store().get(faint.id()).await()).isEmpty();
    assertThat(store().get(identity.id()).await()).isPresent();
    assertThat(store().recall(RecallQuery.hybrid("main", "podcast mentioned", 10)).await())
        .noneMatch(s -> s.memory().id().equals(faint.id()));
  }
}
