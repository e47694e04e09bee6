package ai.spacebot.memory.embedded;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.GraphWalk;
import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import ai.spacebot.memory.RecallQuery;
import ai.spacebot.memory.RelationType;
import ai.spacebot.memory.Rrf;
import ai.spacebot.memory.ScoredMemory;
import ai.spacebot.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The embedded memory backend: rows, edges and embeddings in SQLite (the truth), and per agent a
 * Lucene index under {@code lucene/<agent>} for BM25 and HNSW search. Writes commit to SQLite first,
 * then update the index; on open the index replays any SQLite rows newer than its last commit.
 */
public final class EmbeddedMemoryStore implements MemoryStore {
  static final double NEAR_DUPLICATE = 0.95;
  private static final int TYPE_CROWDED = 200;
  static final String COLUMNS = "id, agent_id, content, memory_type, importance, created_at, updated_at, "
      + "last_accessed_at, access_count, forgotten, source, channel_id, source_message_ids, human_id";

  private final Vertx vertx;
  private final Database db;
  private final Embeddings embeddings;
  private final Path luceneRoot;
  private final Map<String, Future<LuceneIndex>> indexes = new ConcurrentHashMap<>();
  private final long commitTimer;
  private final EmbeddedPasses passes;

  public EmbeddedMemoryStore(Vertx vertx, Database db, Embeddings embeddings, Path luceneRoot) {
    this.vertx = vertx;
    this.db = db;
    this.embeddings = embeddings;
    this.luceneRoot = luceneRoot;
    this.passes = new EmbeddedPasses(this, vertx, db, embeddings);
    // Index commits fsync; batch them. SQLite is the truth, so a crash before a commit loses nothing.
    this.commitTimer = vertx.setPeriodic(2000, id -> indexes.values().forEach(f -> f.onSuccess(ix ->
        vertx.executeBlocking(() -> {
          ix.commitIfQuiet();
          return null;
        }, false))));
  }

  @Override
  public Future<SaveResult> save(NewMemory m) {
    return checkTargets(m)
        .compose(v -> m.type() == MemoryType.HUMAN ? humanAnchor(m.agentId(), m.humanId()) : Future.succeededFuture(Optional.<Memory>empty()))
        .compose(anchor -> anchor.isPresent() ? merge(anchor.get(), m) : insert(m));
  }

  private Future<SaveResult> insert(NewMemory m) {
    long now = System.currentTimeMillis();
    String id = UUID.randomUUID().toString();
    return index(m.agentId()).compose(ix -> embeddings.embed(m.content()).compose(vector -> {
      ix.begin();
      return db.write(sql -> {
            long version = nextVersion(sql);
            sql.update("INSERT INTO memories(id, agent_id, content, memory_type, importance, created_at, updated_at, "
                    + "last_accessed_at, access_count, forgotten, source, channel_id, source_message_ids, human_id, embedding, version) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)",
                id, m.agentId(), m.content(), m.type().wireName(), m.effectiveImportance(), now, now, now, m.source(),
                m.channelId(), new JsonArray(m.sourceMessageIds()).encode(), m.humanId(), bytes(vector), version);
            for (NewMemory.Association a : m.associations()) {
              sql.update("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) VALUES (?, ?, ?, ?, ?) "
                  + "ON CONFLICT DO UPDATE SET weight = excluded.weight", id, a.targetId(), a.relation().wireName(), a.weight(), now);
            }
            return version;
          })
          .compose(version -> blocking(() -> {
            ix.upsert(id, m.type(), m.content(), vector, version);
            return null;
          }))
          .onComplete(x -> ix.end())
          .compose(x -> advice(ix, m.agentId(), m.type(), id, vector))
          .map(advice -> new SaveResult(new Memory(id, m.agentId(), m.content(), m.type(), m.effectiveImportance(), now, now, now,
              0, false, m.source(), m.channelId(), m.sourceMessageIds(), m.humanId()), false, advice));
    }));
  }

  /** One anchor per human: a second save adds to it instead of creating another. */
  private Future<SaveResult> merge(Memory anchor, NewMemory m) {
    String content = anchor.content() + "\n" + m.content();
    double importance = Math.max(anchor.importance(), m.effectiveImportance());
    long now = System.currentTimeMillis();
    List<String> sources = new ArrayList<>(anchor.sourceMessageIds());
    m.sourceMessageIds().stream().filter(s -> !sources.contains(s)).forEach(sources::add);
    return index(m.agentId()).compose(ix -> embeddings.embed(content).compose(vector -> {
      ix.begin();
      return db.write(sql -> {
            long version = nextVersion(sql);
            sql.update("UPDATE memories SET content = ?, importance = ?, updated_at = ?, source_message_ids = ?, embedding = ?, "
                + "version = ?, merge_checked_at = NULL, linked_at = NULL WHERE id = ?", content, importance, now, new JsonArray(sources).encode(), bytes(vector), version, anchor.id());
            for (NewMemory.Association a : m.associations()) {
              sql.update("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) VALUES (?, ?, ?, ?, ?) "
                  + "ON CONFLICT DO UPDATE SET weight = excluded.weight", anchor.id(), a.targetId(), a.relation().wireName(), a.weight(), now);
            }
            return version;
          })
          .compose(version -> blocking(() -> {
            ix.upsert(anchor.id(), MemoryType.HUMAN, content, vector, version);
            return null;
          }))
          .onComplete(x -> ix.end())
          .map(x -> new SaveResult(new Memory(anchor.id(), anchor.agentId(), content, MemoryType.HUMAN, importance,
              anchor.createdAt(), now, anchor.lastAccessedAt(), anchor.accessCount(), false, anchor.source(), anchor.channelId(),
              sources, anchor.humanId()), true, List.of()));
    }));
  }

  @Override
  public Future<Optional<Memory>> get(String id) {
    return db.reader().preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(memory(rows.iterator().next())) : Optional.empty());
  }

  @Override
  public Future<Boolean> forget(String id) {
    return get(id).compose(found -> {
      if (found.isEmpty() || found.get().forgotten()) {
        return Future.succeededFuture(false);
      }
      Memory m = found.get();
      return index(m.agentId()).compose(ix -> {
        ix.begin();
        return db.write(sql -> {
              long version = nextVersion(sql);
              sql.update("UPDATE memories SET forgotten = 1, updated_at = ?, version = ? WHERE id = ?", System.currentTimeMillis(),
                  version, id);
              return version;
            })
            .compose(version -> blocking(() -> {
              ix.delete(id, version);
              return true;
            }))
            .onComplete(x -> ix.end());
      });
    });
  }

  @Override
  public Future<List<ScoredMemory>> recall(RecallQuery q) {
    return switch (q.mode()) {
      case RECENT -> listed(q, "created_at DESC");
      case IMPORTANT -> listed(q, "importance DESC, created_at DESC");
      case TYPED -> listed(q, "importance DESC, created_at DESC");
      case HYBRID -> hybrid(q);
      case FULLTEXT -> index(q.agentId()).compose(ix -> blocking(() -> ix.searchText(q.query(), q.maxResults(), q.type())))
          .compose(ids -> ranked(ids, q.maxResults()));
      case VECTOR -> index(q.agentId()).compose(ix -> embeddings.embed(q.query())
              .compose(vector -> blocking(() -> ix.searchVector(vector, q.maxResults(), q.type()))))
          .compose(ids -> ranked(ids, q.maxResults()));
    };
  }

  @Override
  public Future<Memory> consolidate(String agentId, String survivorId, List<String> absorbedIds) {
    List<String> absorbed = absorbedIds.stream().filter(id -> !id.equals(survivorId)).distinct().toList();
    if (absorbed.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("absorbed_ids must name at least one memory other than the survivor"));
    }
    List<String> all = new ArrayList<>(absorbed);
    all.add(survivorId);
    return load(all).compose(found -> {
      for (String id : all) {
        Memory m = found.get(id);
        if (m == null || m.forgotten() || !m.agentId().equals(agentId)) {
          return Future.failedFuture(new IllegalArgumentException("memory " + id + " does not exist"));
        }
      }
      return index(agentId).compose(ix -> {
        ix.begin();
        long now = System.currentTimeMillis();
        // One write: the forgetting and the edges commit together or not at all.
        return db.write(sql -> {
              long version = nextVersion(sql);
              for (String id : absorbed) {
                int changed = sql.update("UPDATE memories SET forgotten = 1, updated_at = ?, version = ? WHERE id = ? AND forgotten = 0",
                    now, version, id);
                if (changed == 0) {
                  throw new IllegalArgumentException("memory " + id + " was forgotten meanwhile");
                }
                sql.update("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) VALUES (?, ?, 'updates', 0.5, ?) "
                    + "ON CONFLICT DO NOTHING", id, survivorId, now);
              }
              return version;
            })
            .compose(version -> blocking(() -> {
              for (String id : absorbed) {
                ix.delete(id, version);
              }
              return null;
            }))
            .onComplete(x -> ix.end())
            .map(x -> found.get(survivorId));
      });
    });
  }

  @Override
  public Future<List<Memory>> top(String agentId, MemoryType type, int limit) {
    return db.reader().preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE agent_id = ? AND forgotten = 0 AND memory_type = ? "
            + "ORDER BY importance DESC, created_at DESC LIMIT ?").execute(Tuple.of(agentId, type.wireName(), limit))
        .map(rows -> {
          List<Memory> out = new ArrayList<>();
          rows.forEach(r -> out.add(memory(r)));
          return out;
        });
  }

  private static final long DAY = 86_400_000L;

  @Override
  public Future<Integer> decay(String agentId, long now) {
    // One statement: the factor is computed in SQL from the same row, so concurrent reads never see half a pass.
    return db.write(sql -> sql.update("""
        UPDATE memories SET importance = MIN(1.0, importance
              * (1.0 - MIN((? - updated_at) / 86400000.0 * 0.05, 0.5))
              * CASE WHEN ? - last_accessed_at <= ? THEN 1.1 WHEN ? - last_accessed_at > ? THEN 0.9 ELSE 1.0 END)
        WHERE agent_id = ? AND forgotten = 0 AND memory_type <> 'identity'""",
        now, now, 7 * DAY, now, 30 * DAY, agentId));
  }

  @Override
  public Future<Integer> prune(String agentId, long now) {
    return index(agentId).compose(ix -> {
      ix.begin();
      return db.write(sql -> {
            List<String> ids = new ArrayList<>();
            PreparedStatement find = sql.prepare("SELECT id FROM memories WHERE agent_id = ? AND memory_type <> 'identity' "
                + "AND importance < 0.1 AND created_at < ?");
            find.setString(1, agentId);
            find.setLong(2, now - 30 * DAY);
            try (ResultSet rs = find.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
            for (String id : ids) {
              sql.update("DELETE FROM memory_edges WHERE source_id = ? OR target_id = ?", id, id);
              sql.update("DELETE FROM memories WHERE id = ?", id);
            }
            return ids;
          })
          .compose(ids -> blocking(() -> {
            for (String id : ids) {
              ix.delete(id, ix.committedVersion());
            }
            return ids.size();
          }))
          .onComplete(x -> ix.end());
    });
  }

  @Override
  public Future<List<SaveResult>> saveAll(List<NewMemory> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String agentId = batch.get(0).agentId();
    if (batch.stream().anyMatch(m -> !m.agentId().equals(agentId))) {
      return Future.failedFuture(new IllegalArgumentException("a batch must belong to one agent"));
    }
    List<String> humans = batch.stream().filter(m -> m.type() == MemoryType.HUMAN).map(NewMemory::humanId).distinct().toList();
    return checkTargets(batch)
        .compose(v -> humanAnchors(agentId, humans))
        .compose(anchors -> index(agentId).compose(ix -> {
          ImportPlan plan = ImportPlan.of(batch, anchors, System.currentTimeMillis());
          return embeddings.embedAll(plan.texts()).compose(vectors -> {
            ix.begin();
            return db.write(sql -> {
                  long version = nextVersion(sql);
                  plan.write(sql, vectors, version);
                  return version;
                })
                .compose(version -> blocking(() -> {
                  plan.index(ix, vectors, version);
                  return null;
                }))
                .onComplete(x -> ix.end())
                .map(x -> plan.results());
          });
        }));
  }

  @Override
  public Future<Integer> reindex(String agentId, Progress progress) {
    return passes.reindex(agentId, progress);
  }

  @Override
  public Future<Integer> mergeNearDuplicates(String agentId, int limit) {
    return passes.merge(agentId, limit);
  }

  @Override
  public Future<Integer> associate(String agentId, int limit) {
    return passes.associate(agentId, limit);
  }

  @Override
  public Future<Map<MemoryType, Integer>> counts(String agentId) {
    return db.reader().preparedQuery("SELECT memory_type, COUNT(*) AS n FROM memories WHERE agent_id = ? AND forgotten = 0 "
        + "GROUP BY memory_type").execute(Tuple.of(agentId)).map(rows -> {
          Map<MemoryType, Integer> out = new java.util.EnumMap<>(MemoryType.class);
          rows.forEach(r -> out.put(MemoryType.parse(r.getString("memory_type")), r.getInteger("n")));
          return out;
        });
  }

  @Override
  public Future<List<Memory>> list(String agentId, MemoryType type, int limit, int offset) {
    String typeFilter = type == null ? "" : " AND memory_type = ?";
    Tuple args = Tuple.of(agentId);
    if (type != null) {
      args.addString(type.wireName());
    }
    args.addInteger(limit).addInteger(offset);
    return db.reader().preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE agent_id = ? AND forgotten = 0" + typeFilter
        + " ORDER BY created_at DESC LIMIT ? OFFSET ?").execute(args).map(rows -> {
          List<Memory> out = new ArrayList<>();
          rows.forEach(r -> out.add(memory(r)));
          return out;
        });
  }

  @Override
  public Future<Graph> graph(String agentId, String id, int depth) {
    Map<String, Memory> nodes = new LinkedHashMap<>();
    Map<String, Edge> edges = new LinkedHashMap<>();
    return load(List.of(id)).compose(start -> {
      Memory root = start.get(id);
      if (root == null || root.forgotten() || !root.agentId().equals(agentId)) {
        return Future.failedFuture(new IllegalArgumentException("memory " + id + " does not exist"));
      }
      nodes.put(id, root);
      return expand(nodes, edges, List.of(id), depth);
    }).map(v -> new Graph(new ArrayList<>(nodes.values()), new ArrayList<>(edges.values())));
  }

  private Future<Void> expand(Map<String, Memory> nodes, Map<String, Edge> edges, List<String> frontier, int depth) {
    if (depth == 0 || frontier.isEmpty()) {
      return Future.succeededFuture();
    }
    String marks = marks(frontier.size());
    return db.reader().preparedQuery("SELECT source_id, target_id, relation_type, weight FROM memory_edges WHERE source_id IN ("
            + marks + ") OR target_id IN (" + marks + ")").execute(ids(frontier, 2))
        .compose(rows -> {
          List<Edge> found = new ArrayList<>();
          rows.forEach(r -> found.add(new Edge(r.getString("source_id"), r.getString("target_id"),
              RelationType.parse(r.getString("relation_type")), r.getDouble("weight"))));
          List<String> others = found.stream().flatMap(e -> Stream.of(e.sourceId(), e.targetId()))
              .filter(x -> !nodes.containsKey(x)).distinct().toList();
          return load(others).compose(loaded -> {
            loaded.values().stream().filter(m -> !m.forgotten()).forEach(m -> nodes.put(m.id(), m));
            for (Edge e : found) {
              if (nodes.containsKey(e.sourceId()) && nodes.containsKey(e.targetId())) {
                edges.put(e.sourceId() + "|" + e.targetId() + "|" + e.relation(), e);
              }
            }
            return expand(nodes, edges, others.stream().filter(nodes::containsKey).toList(), depth - 1);
          });
        });
  }

  private Future<List<ScoredMemory>> listed(RecallQuery q, String order) {
    String typeFilter = q.type() == null ? "" : " AND memory_type = ?";
    Tuple args = Tuple.of(q.agentId());
    if (q.type() != null) {
      args.addString(q.type().wireName());
    }
    args.addInteger(q.maxResults());
    return db.reader().preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE agent_id = ? AND forgotten = 0" + typeFilter
            + " ORDER BY " + order + " LIMIT ?").execute(args)
        .map(rows -> {
          List<ScoredMemory> out = new ArrayList<>();
          int rank = 0;
          for (Row r : rows) {
            out.add(new ScoredMemory(memory(r), 1.0 / (Rrf.K + ++rank)));
          }
          return out;
        })
        .compose(this::touch);
  }

  /** Full-text, vector and graph lists of up to 2×max each, fused by RRF. */
  private Future<List<ScoredMemory>> hybrid(RecallQuery q) {
    int n = q.maxResults() * 2;
    return index(q.agentId()).compose(ix -> embeddings.embed(q.query()).compose(vector -> {
      Future<List<String>> text = blocking(() -> ix.searchText(q.query(), n, q.type()));
      Future<List<String>> near = blocking(() -> ix.searchVector(vector, n, q.type()));
      Future<List<String>> graph = text.compose(hits -> graph(hits, q, n));
      return Future.all(text, near, graph).map(all -> Rrf.fuse(List.of(text.result(), near.result(), graph.result())));
    })).compose(fused -> scored(fused.subList(0, Math.min(q.maxResults(), fused.size()))));
  }

  /** One list alone, scored as its share of a fusion would be (1 / (60 + rank)). */
  private Future<List<ScoredMemory>> ranked(List<String> ids, int max) {
    return scored(Rrf.fuse(List.of(ids.subList(0, Math.min(max, ids.size())))));
  }

  private Future<List<ScoredMemory>> scored(List<Rrf.Fused> top) {
    List<String> ids = top.stream().map(Rrf.Fused::id).toList();
    // Loading and counting the access touch different connections: run them side by side.
    Future<Map<String, Memory>> loaded = load(ids);
    Future<Void> touched = touchIds(ids);
    return Future.all(loaded, touched).map(x -> {
      List<ScoredMemory> out = new ArrayList<>();
      for (Rrf.Fused f : top) {
        Memory m = loaded.result().get(f.id());
        if (m != null && !m.forgotten()) {
          out.add(new ScoredMemory(m, f.score()));
        }
      }
      return out;
    });
  }

  /**
   * Seeds: the full-text hits (they contain a query word) with importance ≥ 0.8. Walk edges both ways
   * to depth 2; a reached memory scores importance × edge weight × relation multiplier (times its
   * parent's score). The list holds the memories the walk reached, not the seeds. Seeding from the index, not a LIKE scan, keeps this independent of store size.
   */
  private Future<List<String>> graph(List<String> textHits, RecallQuery q, int n) {
    if (textHits.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Tuple args = Tuple.of(GraphWalk.SEED_IMPORTANCE);
    textHits.forEach(args::addString);
    return db.reader().preparedQuery("SELECT id, importance FROM memories WHERE forgotten = 0 AND importance >= ? AND id IN ("
            + marks(textHits.size()) + ")").execute(args)
        .compose(rows -> {
          Map<String, Double> importance = new HashMap<>();
          rows.forEach(r -> importance.put(r.getString("id"), r.getDouble("importance")));
          GraphWalk walk = new GraphWalk(textHits, importance);
          return walk(walk, walk.seeds(), GraphWalk.DEPTH, q.type()).map(v -> walk.ranked(n));
        });
  }

  private Future<Void> walk(GraphWalk walk, List<String> frontier, int depth, MemoryType type) {
    if (depth == 0 || frontier.isEmpty()) {
      return Future.succeededFuture();
    }
    String marks = marks(frontier.size());
    return db.reader().preparedQuery("SELECT e.source_id, e.target_id, e.relation_type, e.weight, m.id AS other, m.importance, m.memory_type "
            + "FROM memory_edges e JOIN memories m ON m.id = CASE WHEN e.source_id IN (" + marks + ") THEN e.target_id ELSE e.source_id END "
            + "WHERE (e.source_id IN (" + marks + ") OR e.target_id IN (" + marks + ")) AND m.forgotten = 0")
        .execute(ids(frontier, 3))
        .compose(rows -> walk(walk, walk.step(frontier, rows, type), depth - 1, type));
  }

  /** The ids, {@code times} over: the arguments of a query naming the same IN list that often. */
  private static Tuple ids(List<String> ids, int times) {
    Tuple args = Tuple.tuple();
    for (int i = 0; i < times; i++) {
      ids.forEach(args::addString);
    }
    return args;
  }

  /** Recall counts as access: bump the count and time (one write for the whole result). */
  private Future<List<ScoredMemory>> touch(List<ScoredMemory> results) {
    return touchIds(results.stream().map(r -> r.memory().id()).toList()).map(results);
  }

  private Future<Void> touchIds(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      for (String id : ids) {
        sql.update("UPDATE memories SET access_count = access_count + 1, last_accessed_at = ? WHERE id = ? AND forgotten = 0", now, id);
      }
      return null;
    });
  }

  Future<Map<String, Memory>> load(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Tuple args = Tuple.tuple();
    ids.forEach(args::addString);
    return db.reader().preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE id IN ("
            + marks(ids.size()) + ")").execute(args)
        .map(rows -> {
          Map<String, Memory> out = new LinkedHashMap<>();
          rows.forEach(r -> out.put(r.getString("id"), memory(r)));
          return out;
        });
  }

  private Future<Void> checkTargets(NewMemory m) {
    return checkTargets(List.of(m));
  }

  private Future<Void> checkTargets(List<NewMemory> batch) {
    String agentId = batch.get(0).agentId();
    List<String> targets = batch.stream().flatMap(m -> m.associations().stream()).map(NewMemory.Association::targetId)
        .distinct().toList();
    if (targets.isEmpty()) {
      return Future.succeededFuture();
    }
    return load(targets).compose(found -> {
      for (String t : targets) {
        Memory target = found.get(t);
        if (target == null || target.forgotten() || !target.agentId().equals(agentId)) {
          return Future.failedFuture(new IllegalArgumentException("association target " + t + " does not exist"));
        }
      }
      return Future.succeededFuture();
    });
  }

  private Future<Map<String, Memory>> humanAnchors(String agentId, List<String> humanIds) {
    if (humanIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Tuple args = Tuple.of(agentId);
    humanIds.forEach(args::addString);
    return db.reader().preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE agent_id = ? AND memory_type = 'human' "
            + "AND forgotten = 0 AND human_id IN (" + marks(humanIds.size()) + ")").execute(args)
        .map(rows -> {
          Map<String, Memory> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString("human_id"), memory(r)));
          return out;
        });
  }

  private Future<Optional<Memory>> humanAnchor(String agentId, String humanId) {
    return db.reader().preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE agent_id = ? AND human_id = ? "
            + "AND memory_type = 'human' AND forgotten = 0").execute(Tuple.of(agentId, humanId))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(memory(rows.iterator().next())) : Optional.empty());
  }

  /** Near-duplicates (cosine ≥ 0.95) and, when the type is crowded, its least important members. */
  private Future<List<String>> advice(LuceneIndex ix, String agentId, MemoryType type, String id, float[] vector) {
    Future<List<String>> near = blocking(() -> ix.searchVector(vector, 4, null)).compose(ids -> load(ids.stream()
        .filter(x -> !x.equals(id)).toList())).compose(found -> embeddingsOf(new ArrayList<>(found.keySet())).map(vectors -> {
          List<String> out = new ArrayList<>();
          vectors.forEach((other, v) -> {
            if (Embeddings.cosine(vector, v) >= NEAR_DUPLICATE) {
              out.add(other);
            }
          });
          return out;
        }));
    Future<List<String>> crowded = db.reader().preparedQuery("SELECT COUNT(*) AS n FROM memories WHERE agent_id = ? AND memory_type = ? "
            + "AND forgotten = 0").execute(Tuple.of(agentId, type.wireName()))
        .compose(rows -> rows.iterator().next().getLong("n") <= TYPE_CROWDED ? Future.succeededFuture(List.<String>of())
            : db.reader().preparedQuery("SELECT id FROM memories WHERE agent_id = ? AND memory_type = ? AND forgotten = 0 AND id <> ? "
                + "ORDER BY importance ASC, last_accessed_at ASC LIMIT 10").execute(Tuple.of(agentId, type.wireName(), id))
                .map(r -> { List<String> ids = new ArrayList<>(); r.forEach(x -> ids.add(x.getString("id"))); return ids; }));
    return Future.all(near, crowded).map(all -> {
      List<String> out = new ArrayList<>(near.result());
      crowded.result().stream().filter(x -> !out.contains(x)).forEach(out::add);
      return out;
    });
  }

  Future<Map<String, float[]>> embeddingsOf(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Tuple args = Tuple.tuple();
    ids.forEach(args::addString);
    return db.reader().preparedQuery("SELECT id, embedding FROM memories WHERE id IN ("
            + marks(ids.size()) + ")").execute(args)
        .map(rows -> {
          Map<String, float[]> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString("id"), floats(r.getBuffer("embedding").getBytes())));
          return out;
        });
  }

  /** Opens an agent's index once, replaying SQLite rows newer than its last commit. */
  Future<LuceneIndex> index(String agentId) {
    return indexes.computeIfAbsent(agentId, a -> blocking(() -> new LuceneIndex(luceneRoot.resolve(a)))
        .compose(ix -> catchUp(ix, a).map(ix)));
  }

  private Future<Void> catchUp(LuceneIndex ix, String agentId) {
    long since = ix.committedVersion();
    return db.write(sql -> {
      // Read through the writer so no write can slip between this read and the replay.
      PreparedStatement ps = sql.prepare("SELECT id, memory_type, content, embedding, forgotten, version FROM memories "
          + "WHERE agent_id = ? AND version > ? ORDER BY version");
      ps.setString(1, agentId);
      ps.setLong(2, since);
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getInt(5) == 1, rs.getLong(6)});
        }
      }
      return rows;
    }).compose(rows -> blocking(() -> {
      for (Object[] r : rows) {
        if ((Boolean) r[4]) {
          ix.delete((String) r[0], (Long) r[5]);
        } else {
          ix.upsert((String) r[0], MemoryType.parse((String) r[1]), (String) r[2], floats((byte[]) r[3]), (Long) r[5]);
        }
      }
      ix.commitIfQuiet();
      return null;
    }));
  }

  static long nextVersion(ai.spacebot.store.SqliteWriter.Statements sql) throws java.sql.SQLException {
    try (ResultSet rs = sql.prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM memories").executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** "?,?,?" for an IN list of n values. */
  static String marks(int n) {
    return String.join(",", Collections.nCopies(n, "?"));
  }

  <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  static byte[] bytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static float[] floats(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.length / 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getFloat();
    }
    return v;
  }

  static Memory memory(Row r) {
    JsonArray sources = new JsonArray(r.getString("source_message_ids"));
    return new Memory(r.getString("id"), r.getString("agent_id"), r.getString("content"), MemoryType.parse(r.getString("memory_type")),
        r.getDouble("importance"), r.getLong("created_at"), r.getLong("updated_at"), r.getLong("last_accessed_at"),
        r.getInteger("access_count"), r.getInteger("forgotten") == 1, r.getString("source"), r.getString("channel_id"),
        sources.stream().map(String::valueOf).toList(), r.getString("human_id"));
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(commitTimer);
    List<Future<Void>> closing = new ArrayList<>();
    indexes.values().forEach(f -> closing.add(f.compose(ix -> blocking(() -> {
      ix.close();
      return null;
    }))));
    return Future.join(closing).mapEmpty();
  }
}
