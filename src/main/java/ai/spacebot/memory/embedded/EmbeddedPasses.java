package ai.spacebot.memory.embedded;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryStore.Progress;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.RelationType;
import ai.spacebot.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embedded store's long passes: reindex, and the maintenance merge and association passes. Each
 * maintenance pass walks the memories its marker column says are pending, oldest first, one at a time
 * (each step looks up the memory's nearest neighbours in the HNSW index), and stops at its limit; what
 * it did not reach stays pending for the next pass.
 */
final class EmbeddedPasses {
  private static final double RELATED = 0.85;
  private static final int NEIGHBOURS = 10;
  private static final int PAGE = 100;
  private static final int REINDEX_BATCH = 256;
  /** A pass over a fresh import of 100k would otherwise run for minutes; the next pass goes on. */
  static final int SCAN_PER_PASS = 5000;

  private final EmbeddedMemoryStore store;
  private final Vertx vertx;
  private final Database db;
  private final Embeddings embeddings;

  EmbeddedPasses(EmbeddedMemoryStore store, Vertx vertx, Database db, Embeddings embeddings) {
    this.store = store;
    this.vertx = vertx;
    this.db = db;
    this.embeddings = embeddings;
  }

  // ------------------------------------------------------------------------------------ reindex

  Future<Integer> reindex(String agentId, Progress progress) {
    return store.index(agentId).compose(ix -> db.reader()
        .preparedQuery("SELECT COUNT(*) AS n FROM memories WHERE agent_id = ? AND forgotten = 0").execute(Tuple.of(agentId))
        .compose(rows -> reindexFrom(ix, agentId, "", 0, rows.iterator().next().getInteger("n"), progress))
        .compose(done -> sweep(ix, agentId).map(done)));
  }

  private Future<Integer> reindexFrom(LuceneIndex ix, String agentId, String afterId, int done, int total, Progress progress) {
    return db.reader().preparedQuery("SELECT id, memory_type, content FROM memories WHERE agent_id = ? AND forgotten = 0 AND id > ? "
            + "ORDER BY id LIMIT ?").execute(Tuple.of(agentId, afterId, REINDEX_BATCH))
        .compose(rows -> {
          List<String[]> page = new ArrayList<>();
          rows.forEach(r -> page.add(new String[] {r.getString("id"), r.getString("memory_type"), r.getString("content")}));
          if (page.isEmpty()) {
            return Future.succeededFuture(done);
          }
          return embeddings.embedAll(page.stream().map(p -> p[2]).toList()).compose(vectors -> {
            ix.begin();
            return db.write(sql -> {
                  long version = EmbeddedMemoryStore.nextVersion(sql);
                  for (int i = 0; i < page.size(); i++) {
                    // A changed embedding means changed neighbours: both passes must look again.
                    sql.update("UPDATE memories SET embedding = ?, version = ?, merge_checked_at = NULL, linked_at = NULL "
                        + "WHERE id = ? AND forgotten = 0", EmbeddedMemoryStore.bytes(vectors.get(i)), version, page.get(i)[0]);
                  }
                  return version;
                })
                .compose(version -> store.blocking(() -> {
                  for (int i = 0; i < page.size(); i++) {
                    String[] p = page.get(i);
                    ix.upsert(p[0], MemoryType.parse(p[1]), p[2], vectors.get(i), version);
                  }
                  return null;
                }))
                .onComplete(x -> ix.end())
                .compose(x -> {
                  int now = done + page.size();
                  progress.update(now, Math.max(total, now));
                  return reindexFrom(ix, agentId, page.get(page.size() - 1)[0], now, total, progress);
                });
          });
        });
  }

  /** Drops index entries that no live row backs (what a damaged index could still hold). */
  private Future<Void> sweep(LuceneIndex ix, String agentId) {
    return db.reader().preparedQuery("SELECT id FROM memories WHERE agent_id = ? AND forgotten = 0").execute(Tuple.of(agentId))
        .compose(rows -> {
          Set<String> live = new HashSet<>();
          rows.forEach(r -> live.add(r.getString("id")));
          return store.blocking(() -> {
            for (String id : ix.allIds()) {
              if (!live.contains(id)) {
                ix.delete(id, ix.committedVersion());
              }
            }
            return null;
          });
        });
  }

  // ----------------------------------------------------------------------- maintenance passes

  /** A pending memory as a pass sees it. */
  private record Pending(String id, MemoryType type, double importance, long createdAt, float[] vector) {}

  /** What one step did: how many things it changed, and whether it finished with this memory. */
  private record Outcome(int count, boolean complete) {}

  @FunctionalInterface
  private interface Step {
    Future<Outcome> apply(LuceneIndex ix, String agentId, Pending p, int remaining);
  }

  Future<Integer> merge(String agentId, int limit) {
    return pass(agentId, "merge_checked_at", limit, this::mergeOne);
  }

  Future<Integer> associate(String agentId, int limit) {
    return pass(agentId, "linked_at", limit, this::linkOne);
  }

  private Future<Integer> pass(String agentId, String marker, int limit, Step step) {
    if (limit <= 0) {
      return Future.succeededFuture(0);
    }
    return store.index(agentId).compose(ix -> page(ix, agentId, marker, limit, step, 0, 0));
  }

  private Future<Integer> page(LuceneIndex ix, String agentId, String marker, int limit, Step step, int done, int scanned) {
    return db.reader().preparedQuery("SELECT id, memory_type, importance, created_at, embedding FROM memories WHERE agent_id = ? "
            + "AND forgotten = 0 AND " + marker + " IS NULL ORDER BY created_at, id LIMIT ?").execute(Tuple.of(agentId, PAGE))
        .compose(rows -> {
          List<Pending> page = new ArrayList<>();
          for (Row r : rows) {
            page.add(new Pending(r.getString("id"), MemoryType.parse(r.getString("memory_type")), r.getDouble("importance"),
                r.getLong("created_at"), EmbeddedMemoryStore.floats(r.getBuffer("embedding").getBytes())));
          }
          if (page.isEmpty()) {
            return Future.succeededFuture(done);
          }
          List<String> finished = new ArrayList<>();
          return steps(ix, agentId, page, 0, limit, step, done, finished).compose(total -> mark(marker, finished).compose(v -> {
            boolean stopped = finished.size() < page.size();
            int seen = scanned + page.size();
            return stopped || total >= limit || seen >= SCAN_PER_PASS ? Future.succeededFuture(total)
                : page(ix, agentId, marker, limit, step, total, seen);
          }));
        });
  }

  private Future<Integer> steps(LuceneIndex ix, String agentId, List<Pending> page, int i, int limit, Step step, int done,
      List<String> finished) {
    if (i == page.size() || done >= limit) {
      return Future.succeededFuture(done);
    }
    Pending p = page.get(i);
    return step.apply(ix, agentId, p, limit - done).compose(o -> {
      if (!o.complete()) {
        return Future.succeededFuture(done + o.count());
      }
      finished.add(p.id());
      return steps(ix, agentId, page, i + 1, limit, step, done + o.count(), finished);
    });
  }

  private Future<Void> mark(String marker, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      for (String id : ids) {
        sql.update("UPDATE memories SET " + marker + " = ? WHERE id = ?", now, id);
      }
      return null;
    });
  }

  /** Live neighbours of {@code p} (same type when given) with their cosine to it, most similar first. */
  private Future<List<Neighbour>> neighbours(LuceneIndex ix, String agentId, Pending p, MemoryType type, double threshold) {
    return store.blocking(() -> ix.searchVector(p.vector(), NEIGHBOURS + 1, type))
        .map(ids -> ids.stream().filter(id -> !id.equals(p.id())).toList())
        .compose(ids -> Future.all(store.load(ids), store.embeddingsOf(ids)).map(all -> {
          Map<String, Memory> rows = all.resultAt(0);
          Map<String, float[]> vectors = all.resultAt(1);
          List<Neighbour> out = new ArrayList<>();
          for (String id : ids) {
            Memory m = rows.get(id);
            float[] v = vectors.get(id);
            if (m != null && v != null && !m.forgotten() && m.agentId().equals(agentId)) {
              double cos = Embeddings.cosine(p.vector(), v);
              if (cos >= threshold) {
                out.add(new Neighbour(m, cos));
              }
            }
          }
          out.sort(Comparator.comparingDouble(Neighbour::cosine).reversed());
          return out;
        }));
  }

  private record Neighbour(Memory memory, double cosine) {}

  /** Folds p's near-duplicates of its type (or p itself) into the most important of them, then the oldest. */
  private Future<Outcome> mergeOne(LuceneIndex ix, String agentId, Pending p, int remaining) {
    if (p.type() == MemoryType.IDENTITY) {
      return Future.succeededFuture(new Outcome(0, true));
    }
    return store.load(List.of(p.id())).compose(self -> {
      Memory me = self.get(p.id());
      if (me == null || me.forgotten()) {
        return Future.succeededFuture(new Outcome(0, true));
      }
      return neighbours(ix, agentId, p, p.type(), EmbeddedMemoryStore.NEAR_DUPLICATE).compose(dups -> {
        if (dups.isEmpty()) {
          return Future.succeededFuture(new Outcome(0, true));
        }
        List<Memory> group = new ArrayList<>();
        group.add(me);
        dups.forEach(d -> group.add(d.memory()));
        Memory survivor = group.stream().min(Comparator.comparingDouble(Memory::importance).reversed()
            .thenComparingLong(Memory::createdAt).thenComparing(Memory::id)).orElseThrow();
        // p first: it is the one this step is about, so it is absorbed even when the limit cuts the rest.
        List<String> absorbed = group.stream().filter(m -> m != survivor).map(Memory::id).limit(remaining).toList();
        boolean all = absorbed.size() == group.size() - 1;
        return store.consolidate(agentId, survivor.id(), absorbed).map(x -> new Outcome(absorbed.size(), all));
      });
    });
  }

  /** Links p to each similar memory it has no edge with yet: updates (newer → older) from 0.95, else related_to. */
  private Future<Outcome> linkOne(LuceneIndex ix, String agentId, Pending p, int remaining) {
    return neighbours(ix, agentId, p, null, RELATED).compose(similar -> {
      if (similar.isEmpty()) {
        return Future.succeededFuture(new Outcome(0, true));
      }
      List<String> ids = similar.stream().map(n -> n.memory().id()).toList();
      String marks = EmbeddedMemoryStore.marks(ids.size());
      Tuple args = Tuple.of(p.id());
      ids.forEach(args::addString);
      args.addString(p.id());
      ids.forEach(args::addString);
      return db.reader().preparedQuery("SELECT source_id, target_id FROM memory_edges WHERE (source_id = ? AND target_id IN ("
              + marks + ")) OR (target_id = ? AND source_id IN (" + marks + "))").execute(args)
          .compose(rows -> {
            Set<String> linked = new HashSet<>();
            rows.forEach(r -> linked.add(r.getString("source_id").equals(p.id()) ? r.getString("target_id") : r.getString("source_id")));
            List<Neighbour> fresh = similar.stream().filter(n -> !linked.contains(n.memory().id())).toList();
            List<Neighbour> now = fresh.stream().limit(remaining).toList();
            if (now.isEmpty()) {
              return Future.succeededFuture(new Outcome(0, fresh.isEmpty()));
            }
            long at = System.currentTimeMillis();
            return db.write(sql -> {
              for (Neighbour n : now) {
                Memory other = n.memory();
                boolean update = n.cosine() >= EmbeddedMemoryStore.NEAR_DUPLICATE;
                boolean pIsNewer = p.createdAt() > other.createdAt() || (p.createdAt() == other.createdAt() && p.id().compareTo(other.id()) > 0);
                String source = update && !pIsNewer ? other.id() : p.id();
                String target = source.equals(p.id()) ? other.id() : p.id();
                sql.update("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", source, target, (update ? RelationType.UPDATES : RelationType.RELATED_TO).wireName(),
                    n.cosine(), at);
              }
              return null;
            }).map(x -> new Outcome(now.size(), now.size() == fresh.size()));
          });
    });
  }
}
