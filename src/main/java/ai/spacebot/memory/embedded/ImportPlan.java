package ai.spacebot.memory.embedded;

import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryStore.SaveResult;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import ai.spacebot.store.SqliteWriter;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rows a batch save will write: one per memory, except that all memories of one human fold into
 * that human's single anchor (an existing one, or the first of the batch). Built before embedding so
 * the whole batch needs one {@code embedAll} call and one transaction.
 */
final class ImportPlan {
  /** A row to insert, or (when {@code anchor} is set) the existing human anchor to update. */
  private static final class Draft {
    final String id;
    final NewMemory first;
    final Memory anchor;
    final List<String> sources = new ArrayList<>();
    final long createdAt;
    String content;
    double importance;

    Draft(NewMemory first, Memory anchor, long now) {
      this.first = first;
      this.anchor = anchor;
      this.id = anchor != null ? anchor.id() : UUID.randomUUID().toString();
      this.createdAt = anchor != null ? anchor.createdAt() : now;
      if (anchor != null) {
        content = anchor.content();
        importance = anchor.importance();
        sources.addAll(anchor.sourceMessageIds());
        add(first);
      } else {
        content = first.content();
        importance = first.effectiveImportance();
        sources.addAll(first.sourceMessageIds());
      }
    }

    void add(NewMemory m) {
      content = content + "\n" + m.content();
      importance = Math.max(importance, m.effectiveImportance());
      m.sourceMessageIds().stream().filter(s -> !sources.contains(s)).forEach(sources::add);
    }

    Memory memory(long now) {
      return anchor != null
          ? new Memory(id, anchor.agentId(), content, MemoryType.HUMAN, importance, anchor.createdAt(), now, anchor.lastAccessedAt(),
              anchor.accessCount(), false, anchor.source(), anchor.channelId(), List.copyOf(sources), anchor.humanId())
          : new Memory(id, first.agentId(), content, first.type(), importance, createdAt, now, now, 0, false, first.source(),
              first.channelId(), List.copyOf(sources), first.humanId());
    }
  }

  private final List<NewMemory> batch;
  private final List<Draft> drafts = new ArrayList<>();
  private final List<Draft> draftOfInput = new ArrayList<>();
  private final List<Boolean> mergedInput = new ArrayList<>();
  private final long now;

  private ImportPlan(List<NewMemory> batch, long now) {
    this.batch = batch;
    this.now = now;
  }

  static ImportPlan of(List<NewMemory> batch, Map<String, Memory> anchorsByHuman, long now) {
    ImportPlan plan = new ImportPlan(batch, now);
    Map<String, Draft> humans = new LinkedHashMap<>();
    for (NewMemory m : batch) {
      Draft d;
      boolean merged;
      if (m.type() == MemoryType.HUMAN) {
        d = humans.get(m.humanId());
        merged = d != null || anchorsByHuman.containsKey(m.humanId());
        if (d == null) {
          d = new Draft(m, anchorsByHuman.get(m.humanId()), now);
          humans.put(m.humanId(), d);
          plan.drafts.add(d);
        } else {
          d.add(m);
        }
      } else {
        d = new Draft(m, null, now);
        merged = false;
        plan.drafts.add(d);
      }
      plan.draftOfInput.add(d);
      plan.mergedInput.add(merged);
    }
    return plan;
  }

  /** The texts to embed, one per row, in row order. */
  List<String> texts() {
    return drafts.stream().map(d -> d.content).toList();
  }

  void write(SqliteWriter.Statements sql, List<float[]> vectors, long version) throws SQLException {
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      byte[] embedding = EmbeddedMemoryStore.bytes(vectors.get(i));
      String sources = new JsonArray(d.sources).encode();
      if (d.anchor != null) {
        sql.update("UPDATE memories SET content = ?, importance = ?, updated_at = ?, source_message_ids = ?, embedding = ?, version = ?, "
            + "merge_checked_at = NULL, linked_at = NULL WHERE id = ?", d.content, d.importance, now, sources, embedding, version, d.id);
      } else {
        NewMemory m = d.first;
        sql.update("INSERT INTO memories(id, agent_id, content, memory_type, importance, created_at, updated_at, last_accessed_at, "
                + "access_count, forgotten, source, channel_id, source_message_ids, human_id, embedding, version) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)",
            d.id, m.agentId(), d.content, m.type().wireName(), d.importance, now, now, now, m.source(), m.channelId(), sources,
            m.humanId(), embedding, version);
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      for (NewMemory.Association a : batch.get(i).associations()) {
        sql.update("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT DO UPDATE SET weight = excluded.weight", draftOfInput.get(i).id, a.targetId(), a.relation().wireName(),
            a.weight(), now);
      }
    }
  }

  void index(LuceneIndex ix, List<float[]> vectors, long version) throws IOException {
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      ix.upsert(d.id, d.anchor != null ? MemoryType.HUMAN : d.first.type(), d.content, vectors.get(i), version);
    }
  }

  List<SaveResult> results() {
    List<SaveResult> out = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      out.add(new SaveResult(draftOfInput.get(i).memory(now), mergedInput.get(i), List.of()));
    }
    return out;
  }
}
