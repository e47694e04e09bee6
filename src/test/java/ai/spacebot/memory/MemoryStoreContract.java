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

  private static NewMemory memory(String content, MemoryType type, double importance) {
    return new NewMemory("main", content, type, importance, "test", null, List.of(), null, List.of());
  }

  @Test
  void saveAllImportsABatchWithTheSameRulesAsSave() {
    Memory anchor = store().save(new NewMemory("main", "Carol leads the data team.", MemoryType.HUMAN, null, null, null,
        List.of("m1"), "carol", List.of())).await().memory();
    Memory target = store().save(memory("The quarterly planning meeting is in January.", MemoryType.EVENT)).await().memory();
    List<MemoryStore.SaveResult> results = store().saveAll(List.of(
        memory("Invoices are approved by the finance lead.", MemoryType.FACT),
        new NewMemory("main", "Carol prefers written proposals.", MemoryType.HUMAN, null, null, null, List.of("m2"), "carol", List.of()),
        new NewMemory("main", "Planning needs the headcount numbers first.", MemoryType.TODO, null, null, null, List.of(), null,
            List.of(new NewMemory.Association(target.id(), RelationType.PART_OF, 0.7))))).await();
    assertThat(results).hasSize(3);
    assertThat(results.get(0).memory().importance()).isEqualTo(0.6);
    assertThat(results.get(1).merged()).isTrue();
    assertThat(results.get(1).memory().id()).isEqualTo(anchor.id());
    assertThat(results.get(1).memory().content()).contains("data team").contains("written proposals");
    assertThat(store().graph("main", target.id(), 1).await().edges())
        .anyMatch(e -> e.sourceId().equals(results.get(2).memory().id()) && e.relation() == RelationType.PART_OF);
    assertThat(store().recall(RecallQuery.hybrid("main", "who approves invoices", 3)).await().get(0).memory().id())
        .isEqualTo(results.get(0).memory().id());

    NewMemory dangling = new NewMemory("main", "Refers to nothing.", MemoryType.FACT, null, null, null, List.of(), null,
        List.of(new NewMemory.Association("missing-target", RelationType.RELATED_TO, 0.5)));
    assertThatThrownBy(() -> store().saveAll(List.of(memory("Would be saved.", MemoryType.FACT), dangling)).await())
        .hasMessageContaining("missing-target");
    assertThat(store().recall(RecallQuery.hybrid("main", "Would be saved", 10)).await())
        .noneMatch(r -> r.memory().content().equals("Would be saved."));
  }

  @Test
  void reindexReEmbedsEveryLiveMemoryAndSearchStillWorks() {
    Memory a = store().save(memory("The VPN certificate expires on the first of March.", MemoryType.FACT)).await().memory();
    store().save(memory("The coffee machine is descaled on Mondays.", MemoryType.FACT)).await();
    Memory gone = store().save(memory("The old wiki lives on the intranet server.", MemoryType.FACT)).await().memory();
    store().forget(gone.id()).await();
    List<int[]> updates = new java.util.concurrent.CopyOnWriteArrayList<>();
    assertThat(store().reindex("main", (done, total) -> updates.add(new int[] {done, total})).await()).isEqualTo(2);
    assertThat(updates).isNotEmpty();
    assertThat(updates.get(updates.size() - 1)).containsExactly(2, 2);
    assertThat(store().recall(RecallQuery.hybrid("main", "VPN certificate expiry", 3)).await().get(0).memory().id()).isEqualTo(a.id());
    assertThat(store().recall(RecallQuery.hybrid("main", "old wiki intranet", 10)).await())
        .noneMatch(r -> r.memory().id().equals(gone.id()));
    assertThat(store().reindex("nobody", MemoryStore.Progress.NONE).await()).isZero();
  }

  @Test
  void theMergePassFoldsNearDuplicatesOfTheSameTypeIntoTheMoreImportant() {
    Memory weak = store().save(memory("The release train leaves every second Tuesday.", MemoryType.FACT, 0.5)).await().memory();
    Memory strong = store().save(memory("the release train leaves every second tuesday.", MemoryType.FACT, 0.9)).await().memory();
    Memory otherType = store().save(memory("The release train leaves every second Tuesday.", MemoryType.DECISION, 0.8)).await().memory();
    Memory unrelated = store().save(memory("The office plants are watered on Fridays.", MemoryType.FACT)).await().memory();

    assertThat(store().mergeNearDuplicates("main", 500).await()).isEqualTo(1);
    assertThat(store().get(weak.id()).await().orElseThrow().forgotten()).isTrue();
    assertThat(store().get(strong.id()).await().orElseThrow().forgotten()).isFalse();
    assertThat(store().get(otherType.id()).await().orElseThrow().forgotten()).isFalse();
    assertThat(store().get(unrelated.id()).await().orElseThrow().forgotten()).isFalse();
    assertThat(store().recall(RecallQuery.hybrid("main", "release train Tuesday", 10)).await())
        .noneMatch(r -> r.memory().id().equals(weak.id()));
    assertThat(store().mergeNearDuplicates("main", 500).await()).isZero();
  }

  @Test
  void theMergePassStopsAtItsLimitAndTheNextPassGoesOn() {
    String[] texts = {"Deploys freeze on Fridays.", "Backups run nightly at two in the morning.", "Standup is at 9:30 every weekday."};
    for (String t : texts) {
      store().save(memory(t, MemoryType.FACT, 0.5)).await();
      store().save(memory(t.toLowerCase(java.util.Locale.ROOT), MemoryType.FACT, 0.7)).await();
    }
    assertThat(store().mergeNearDuplicates("main", 2).await()).isEqualTo(2);
    assertThat(store().mergeNearDuplicates("main", 2).await()).isEqualTo(1);
    assertThat(store().counts("main").await()).containsEntry(MemoryType.FACT, 3);
  }

  @Test
  void theAssociationPassLinksSimilarMemoriesOnce() {
    Memory k8s = store().save(memory("Our Kubernetes cluster runs on three nodes in Frankfurt.", MemoryType.FACT)).await().memory();
    Memory same = store().save(memory("The Kubernetes cluster in Frankfurt has three nodes.", MemoryType.FACT)).await().memory();
    Memory older = store().save(memory("Deploys freeze on Fridays.", MemoryType.DECISION)).await().memory();
    Memory newer = store().save(memory("deploys freeze on fridays.", MemoryType.FACT)).await().memory();
    Memory unrelated = store().save(memory("The office wifi password is changed monthly.", MemoryType.FACT)).await().memory();

    assertThat(store().associate("main", 100).await()).isEqualTo(2);
    List<MemoryStore.Edge> k8sEdges = store().graph("main", k8s.id(), 1).await().edges();
    assertThat(k8sEdges).hasSize(1);
    MemoryStore.Edge related = k8sEdges.get(0);
    assertThat(related.relation()).isEqualTo(RelationType.RELATED_TO);
    assertThat(List.of(related.sourceId(), related.targetId())).containsExactlyInAnyOrder(k8s.id(), same.id());
    assertThat(related.weight()).isBetween(0.85, 0.95);
    List<MemoryStore.Edge> updates = store().graph("main", older.id(), 1).await().edges();
    assertThat(updates).singleElement().satisfies(e -> {
      assertThat(e.relation()).isEqualTo(RelationType.UPDATES);
      assertThat(e.sourceId()).isEqualTo(newer.id());
      assertThat(e.targetId()).isEqualTo(older.id());
    });
    assertThat(store().graph("main", unrelated.id(), 1).await().edges()).isEmpty();
    assertThat(store().associate("main", 100).await()).isZero();
  }

  @Test
  void theAssociationPassStopsAtItsLimit() {
    store().save(memory("Our Kubernetes cluster runs on three nodes in Frankfurt.", MemoryType.FACT)).await();
    store().save(memory("The Kubernetes cluster in Frankfurt has three nodes.", MemoryType.FACT)).await();
    store().save(memory("Alice prefers tea over coffee in the morning.", MemoryType.PREFERENCE)).await();
    store().save(memory("In the morning Alice likes tea more than coffee.", MemoryType.PREFERENCE)).await();
    assertThat(store().associate("main", 1).await()).isEqualTo(1);
    assertThat(store().associate("main", 1).await()).isEqualTo(1);
    assertThat(store().associate("main", 1).await()).isZero();
  }

  @Test
  void fulltextAndVectorModesRunOneListAlone() {
    Memory exact = store().save(memory("The xylophone in room 4 needs new mallets.", MemoryType.FACT)).await().memory();
    Memory paraphrase = store().save(memory("Kubernetes runs on three machines in Frankfurt.", MemoryType.FACT)).await().memory();
    assertThat(store().recall(new RecallQuery("main", "xylophone", 5, RecallQuery.Mode.FULLTEXT, null)).await())
        .extracting(r -> r.memory().id()).containsExactly(exact.id());
    assertThat(store().recall(new RecallQuery("main", "container orchestration cluster location", 5, RecallQuery.Mode.FULLTEXT, null))
        .await()).isEmpty();
    assertThat(store().recall(new RecallQuery("main", "container orchestration cluster location", 1, RecallQuery.Mode.VECTOR, null))
        .await()).extracting(r -> r.memory().id()).containsExactly(paraphrase.id());
  }

  @Test
  void aSaveThatMergesIntoAHumanAnchorKeepsItsAssociations() {
    Memory project = store().save(memory("Project Hermes ships the new billing UI.", MemoryType.GOAL)).await().memory();
    Memory anchor = store().save(new NewMemory("main", "Erin is a frontend engineer.", MemoryType.HUMAN, null, null, null, List.of(),
        "erin", List.of())).await().memory();
    MemoryStore.SaveResult merged = store().save(new NewMemory("main", "Erin leads Project Hermes.", MemoryType.HUMAN, null, null, null,
        List.of(), "erin", List.of(new NewMemory.Association(project.id(), RelationType.PART_OF, 0.8)))).await();
    assertThat(merged.merged()).isTrue();
    assertThat(store().graph("main", anchor.id(), 1).await().edges()).singleElement().satisfies(e -> {
      assertThat(e.sourceId()).isEqualTo(anchor.id());
      assertThat(e.targetId()).isEqualTo(project.id());
      assertThat(e.relation()).isEqualTo(RelationType.PART_OF);
    });
  }

  @Test
  void aFullTextHitSharesTwoWordsOfALongerQuery() {
    Memory lot = store().save(memory("The parking lot closes at nine.", MemoryType.FACT)).await().memory();
    assertThat(store().recall(new RecallQuery("main", "when will the parking garage reopen tomorrow", 5, RecallQuery.Mode.FULLTEXT, null))
        .await()).isEmpty();
    assertThat(store().recall(new RecallQuery("main", "parking garage", 5, RecallQuery.Mode.FULLTEXT, null)).await())
        .extracting(r -> r.memory().id()).containsExactly(lot.id());
    assertThat(store().recall(new RecallQuery("main", "when does the parking lot close", 5, RecallQuery.Mode.FULLTEXT, null)).await())
        .extracting(r -> r.memory().id()).containsExactly(lot.id());
  }

  @Test
  void theGraphListHoldsWhatTheWalkReachedNotItsSeeds() {
    Memory goal = store().save(new NewMemory("main", "Launch the Zephyr beta in spring.", MemoryType.GOAL, null, null, null, List.of(),
        null, List.of())).await().memory();
    Memory linked = store().save(new NewMemory("main", "Marketing needs three weeks of notice.", MemoryType.FACT, null, null, null,
        List.of(), null, List.of(new NewMemory.Association(goal.id(), RelationType.CAUSED_BY, 1.0)))).await().memory();
    List<ScoredMemory> found = store().recall(RecallQuery.hybrid("main", "Zephyr", 5)).await();
    // The goal is the full-text list's only hit (1/61, plus its vector rank); the linked memory is
    // the graph list's first (1/61, plus its vector rank). Were the seed in the graph list too, the
    // goal would hold 2/61 from one word.
    ScoredMemory g = found.stream().filter(r -> r.memory().id().equals(goal.id())).findFirst().orElseThrow();
    ScoredMemory l = found.stream().filter(r -> r.memory().id().equals(linked.id())).findFirst().orElseThrow();
    assertThat(g.score()).isLessThanOrEqualTo(2.0 / 61 + 1e-9);
    assertThat(l.score()).isGreaterThanOrEqualTo(1.0 / 61 + 1.0 / 62 - 1e-9);
  }
}
