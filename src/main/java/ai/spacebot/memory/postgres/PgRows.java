package ai.spacebot.memory.postgres;

import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Row mapping and the small query helpers every part of the Postgres memory store shares. */
final class PgRows {
  static final String COLUMNS = "id, agent_id, content, memory_type, importance, created_at, updated_at, last_accessed_at, "
      + "access_count, forgotten, source, channel_id, source_message_ids, human_id";

  private PgRows() {}

  static Memory memory(Row r) {
    String[] sources = r.getArrayOfStrings("source_message_ids");
    return new Memory(r.getString("id"), r.getString("agent_id"), r.getString("content"), MemoryType.parse(r.getString("memory_type")),
        r.getDouble("importance"), r.getLong("created_at"), r.getLong("updated_at"), r.getLong("last_accessed_at"),
        r.getInteger("access_count"), r.getBoolean("forgotten"), r.getString("source"), r.getString("channel_id"),
        sources == null ? List.of() : Arrays.asList(sources), r.getString("human_id"));
  }

  static List<Memory> memories(RowSet<Row> rows) {
    List<Memory> out = new ArrayList<>();
    rows.forEach(r -> out.add(memory(r)));
    return out;
  }

  static List<String> ids(RowSet<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.getString("id")));
    return out;
  }

  /**
   * pgvector's text form {@code [f1,f2,...]}, bound as text and cast in SQL: vertx-pg-client has no
   * codec for the extension's binary type. Float.toString round-trips exactly.
   */
  static String vector(float[] v) {
    StringBuilder s = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append(v[i]);
    }
    return s.append(']').toString();
  }

  /**
   * A text[] parameter. Typed as Object on purpose: a String[] handed to Tuple.of(first, rest...) in
   * the varargs position would be spread into separate parameters.
   */
  static Object array(List<String> values) {
    return values.toArray(String[]::new);
  }

  /** Memories by id, forgotten ones included; missing ids are simply absent. */
  static Future<Map<String, Memory>> load(SqlClient sql, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM memories WHERE id = ANY($1)").execute(Tuple.of(array(ids)))
        .map(rows -> {
          Map<String, Memory> out = new LinkedHashMap<>();
          rows.forEach(r -> out.put(r.getString("id"), memory(r)));
          return out;
        });
  }
}
