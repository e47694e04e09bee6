package ai.spacebot.memory;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * An agent's long-term memory. Two backends implement it (embedded SQLite + Lucene; Postgres +
 * pgvector) and one contract test suite runs against both.
 */
public interface MemoryStore {
  /** Saves a memory (a {@code human} memory merges into the existing anchor of its human). */
  Future<SaveResult> save(NewMemory memory);

  Future<Optional<Memory>> get(String id);

  /** Marks a memory forgotten: it never comes back from recall. */
  Future<Boolean> forget(String id);

  Future<List<ScoredMemory>> recall(RecallQuery query);

  /**
   * Folds {@code absorbed} into {@code survivor} atomically: each absorbed memory becomes forgotten and
   * the survivor gets an {@code updates} edge from it. All ids must be live memories of the agent.
   */
  Future<Memory> consolidate(String agentId, String survivorId, List<String> absorbedIds);

  /** The most important live memories of a type (then newest); no access is counted. */
  Future<List<Memory>> top(String agentId, MemoryType type, int limit);

  /**
   * Decay: importance × (1 − min(days × 0.05, 0.5)) × boost, where days count since the last update
   * and boost is 1.1 if accessed within 7 days, 0.9 if not for 30 (capped at 1). Never identity.
   * Returns how many memories changed.
   */
  Future<Integer> decay(String agentId, long now);

  /** Prune: hard-deletes memories with importance < 0.1 older than 30 days, never identity. */
  Future<Integer> prune(String agentId, long now);

  /**
   * Saves many memories with one batch embedding call (imports). Each follows {@link #save}'s rules
   * (human anchors merge, associations are checked) except that no consolidation advice is computed:
   * the merge pass of maintenance takes care of duplicates an import brings in.
   */
  Future<List<SaveResult>> saveAll(List<NewMemory> memories);

  /**
   * Re-embeds every live memory of the agent and rebuilds its search index from the stored rows
   * (after a model change, or to repair an index). {@code progress} receives (done, total) after each
   * batch, on no particular thread. Returns how many memories were reindexed.
   */
  Future<Integer> reindex(String agentId, Progress progress);

  /** (done, total) callback for long operations. */
  @FunctionalInterface
  interface Progress {
    void update(int done, int total);

    Progress NONE = (done, total) -> {};
  }

  /**
   * Merge pass: each live memory not yet checked (or changed since) is compared with its nearest
   * neighbours of the same type; one with cosine ≥ 0.95 is consolidated into the more important of the
   * two (then the older), exactly as {@link #consolidate}. At most {@code limit} memories are absorbed
   * per pass; the rest wait for the next pass. Identity memories are never absorbed. Returns how many
   * were absorbed.
   */
  Future<Integer> mergeNearDuplicates(String agentId, int limit);

  /**
   * Association pass: each live memory not yet linked (or changed since) gets an edge to each
   * neighbour with cosine ≥ 0.85 that it has no edge with yet: {@code updates} from the newer to the
   * older when cosine ≥ 0.95, else {@code related_to}; the weight is the cosine. At most {@code limit}
   * edges per pass. Returns how many edges were created.
   */
  Future<Integer> associate(String agentId, int limit);

  /** Live memories per type. */
  Future<java.util.Map<MemoryType, Integer>> counts(String agentId);

  /** Non-forgotten memories of an agent, newest first. */
  Future<List<Memory>> list(String agentId, MemoryType type, int limit, int offset);

  /** The memory and its neighbourhood up to {@code depth} edges away (forgotten ones left out). */
  Future<Graph> graph(String agentId, String id, int depth);

  record Edge(String sourceId, String targetId, RelationType relation, double weight) {}

  record Graph(List<Memory> nodes, List<Edge> edges) {}

  /** Closes indexes and files; the database is owned by the caller. */
  Future<Void> close();

  /**
   * The saved memory and, when it looks redundant (cosine ≥ 0.95 to another, or its type holds more
   * than 200), the ids a branch should consider consolidating.
   */
  record SaveResult(Memory memory, boolean merged, List<String> consolidationCandidates) {}
}
