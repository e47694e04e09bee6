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

  /** Closes indexes and files; the database is owned by the caller. */
  Future<Void> close();

  /**
   * The saved memory and, when it looks redundant (cosine ≥ 0.95 to another, or its type holds more
   * than 200), the ids a branch should consider consolidating.
   */
  record SaveResult(Memory memory, boolean merged, List<String> consolidationCandidates) {}
}
