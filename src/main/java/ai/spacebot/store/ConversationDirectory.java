package ai.spacebot.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * What is known about the conversations themselves (not their messages): the list {@code GET /api/channels} shows,
 * an agent's other channels for its prompt and for {@code send_message_to_another_channel}, and who owns one.
 */
public final class ConversationDirectory {
  private final Database db;

  ConversationDirectory(Database db) {
    this.db = db;
  }

  /** Conversations, most recently active first, with their message counts; {@code agentId} null for all. */
  public Future<List<JsonObject>> conversations(String agentId, int limit) {
    String sql = "SELECT c.id, c.agent_id, c.platform, c.display_name, c.created_at, c.last_activity_at, c.model_override, "
        + "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS messages FROM conversations c"
        + (agentId == null ? "" : " WHERE c.agent_id = ?") + " ORDER BY c.last_activity_at DESC LIMIT ?";
    Tuple args = agentId == null ? Tuple.of(limit) : Tuple.of(agentId, limit);
    return db.reader().preparedQuery(sql).execute(args).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new JsonObject().put("channel_id", r.getString("id")).put("agent_id", r.getString("agent_id"))
            .put("platform", r.getString("platform")).put("display_name", r.getString("display_name"))
            .put("created_at", r.getLong("created_at"))
            .put("last_activity_at", r.getLong("last_activity_at")).put("messages", r.getLong("messages"))
            .put("model_override", r.getString("model_override")));
      }
      return out;
    });
  }

  /** A conversation an agent knows: where it can send with {@code send_message_to_another_channel}. */
  public record KnownConversation(String id, String platform, String displayName, long lastActivityAt) {}

  /** The most recently active of an agent's conversations, and how many it has in all. */
  public record KnownConversations(List<KnownConversation> newest, long total) {}

  /** An agent's conversations but {@code except}, most recently active first, at most {@code limit}. */
  public Future<KnownConversations> knownConversations(String agentId, String except, int limit) {
    Future<List<KnownConversation>> newest = db.reader().preparedQuery("""
            SELECT id, platform, display_name, last_activity_at FROM conversations WHERE agent_id = ? AND id <> ?
            ORDER BY last_activity_at DESC LIMIT ?""")
        .execute(Tuple.of(agentId, except, limit))
        .map(rows -> {
          List<KnownConversation> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new KnownConversation(r.getString("id"), r.getString("platform"), r.getString("display_name"),
                r.getLong("last_activity_at")));
          }
          return out;
        });
    Future<Long> total = db.reader().preparedQuery("SELECT COUNT(*) AS n FROM conversations WHERE agent_id = ? AND id <> ?")
        .execute(Tuple.of(agentId, except))
        .map(rows -> rows.iterator().next().getLong("n"));
    return Future.all(newest, total).map(v -> new KnownConversations(newest.result(), total.result()));
  }

  /** Who a conversation belongs to and what it is called (the name may be null). */
  public record ConversationOwner(String agentId, String displayName) {}

  /** The agent a conversation belongs to and its name; null for a conversation never seen. */
  public Future<ConversationOwner> conversationOwner(String conversationId) {
    return db.reader().preparedQuery("SELECT agent_id, display_name FROM conversations WHERE id = ?")
        .execute(Tuple.of(conversationId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new ConversationOwner(r.getString("agent_id"), r.getString("display_name"));
        });
  }
}
