package ai.spacebot.store;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.OutboundMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Conversations, messages and the outbox. Inbound messages are stored before they are processed;
 * a reply is stored with its outbox row and the answered status in one transaction, so a crash either
 * loses the whole turn (it is run again) or none of it (it is not).
 */
public final class TranscriptRepository {
  /** Inbound statuses. */
  public static final String RECEIVED = "received";
  public static final String ANSWERED = "answered";
  public static final String SKIPPED = "skipped";
  public static final String FAILED = "failed";
  /** Kept in the transcript without a turn (observe mode, or a group message that did not mention the bot). */
  public static final String OBSERVED = "observed";
  /** The sender name of a system line saying the agent sent a message to another conversation. */
  public static final String SENT_ELSEWHERE = "sent_elsewhere";
  /** Outbound statuses. */
  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";

  private static final String MESSAGE_COLUMNS =
      "id, conversation_id, direction, sender_id, sender_name, text, status, in_reply_to, created_at";

  private final Database db;
  private final ConversationDirectory directory;

  public TranscriptRepository(Database db) {
    this.db = db;
    this.directory = new ConversationDirectory(db);
  }

  /** Stores an inbound message unless its (conversation, platform message id) was seen before. */
  public Future<Accepted> acceptInbound(InboundMessage m) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO conversations(id, agent_id, platform, created_at, last_activity_at, display_name)
          VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET last_activity_at = excluded.last_activity_at,
            display_name = COALESCE(excluded.display_name, conversations.display_name)""",
          m.conversationId(), m.agentId(), m.platform(), now, now, m.conversationName());
      int inserted = sql.update("""
          INSERT INTO messages(id, conversation_id, agent_id, direction, platform, platform_message_id,
                               sender_id, sender_name, text, status, created_at, updated_at, details)
          VALUES (?, ?, ?, 'inbound', ?, ?, ?, ?, ?, 'received', ?, ?, ?) ON CONFLICT DO NOTHING""",
          m.id(), m.conversationId(), m.agentId(), m.platform(), m.platformMessageId(), m.senderId(), m.senderName(),
          m.text(), m.timestamp(), now, details(m));
      if (inserted > 0) {
        return new Accepted(m.id(), false);
      }
      PreparedStatement find = sql.prepare("SELECT id FROM messages WHERE conversation_id = ? AND platform_message_id = ?");
      find.setString(1, m.conversationId());
      find.setString(2, m.platformMessageId());
      try (ResultSet rs = find.executeQuery()) {
        return new Accepted(rs.next() ? rs.getString(1) : m.id(), true);
      }
    });
  }

  /** The last {@code limit} messages of a conversation, oldest first. */
  public Future<List<TranscriptMessage>> history(String conversationId, int limit) {
    return db.reader().preparedQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = ? AND deleted_at IS NULL ORDER BY seq DESC LIMIT ?")
        .execute(Tuple.of(conversationId, limit))
        .map(rows -> {
          List<TranscriptMessage> out = new ArrayList<>();
          rows.forEach(r -> out.add(message(r)));
          Collections.reverse(out);
          return out;
        });
  }

  /**
   * Stores the reply (if any) with its outbox row and marks the inbound messages answered, atomically.
   * The outbox idempotency key is derived from the first inbound message, so running the same turn twice
   * cannot queue a second reply: the second attempt fails on the unique key and reports {@code false}.
   *
   * @return true if this call recorded the outcome, false if the turn had already been recorded
   */
  public Future<Boolean> completeTurn(List<String> inboundIds, OutboundMessage reply) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      if (reply != null) {
        sql.update("""
            INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text,
                                 status, in_reply_to, created_at, updated_at)
            VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?, 'pending', ?, ?, ?)""",
            reply.id(), reply.conversationId(), reply.agentId(), reply.platform(), reply.agentId(), null, reply.text(),
            reply.inReplyTo(), now, now);
        OutboxRepository.insert(sql, reply, now);
      }
      setStatus(sql, inboundIds, reply != null ? ANSWERED : SKIPPED, null, now);
      return true;
    }).recover(err -> isUniqueViolation(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** Queues a platform action that is not a transcript message (a reaction). */
  public Future<Void> enqueue(OutboundMessage action) {
    return db.<Void>write(sql -> {
      OutboxRepository.insert(sql, action, System.currentTimeMillis());
      return null;
    }).recover(err -> isUniqueViolation(err) ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /**
   * Marks inbound messages failed with the reason and answers them with an apology through the outbox,
   * in one transaction: the person hears that something went wrong, and their message stays in history.
   * The apology's outbox key comes from the first inbound message, so a turn that fails twice apologises once.
   *
   * @return true if this call recorded the failure, false if the turn had already been answered or apologised for
   */
  public Future<Boolean> failTurnWithApology(List<String> inboundIds, String reason, OutboundMessage apology) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text,
                               status, in_reply_to, created_at, updated_at)
          VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?, 'pending', ?, ?, ?)""",
          apology.id(), apology.conversationId(), apology.agentId(), apology.platform(), apology.agentId(), null,
          apology.text(), apology.inReplyTo(), now, now);
      OutboxRepository.insert(sql, apology, now);
      setStatus(sql, inboundIds, FAILED, reason, now);
      return true;
    }).recover(err -> isUniqueViolation(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** Marks inbound messages failed and adds a system line to the transcript explaining why. */
  public Future<Void> failTurn(String conversationId, String agentId, String platform, List<String> inboundIds,
      String systemMessageId, String explanation) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text, status,
                               in_reply_to, created_at, updated_at)
          VALUES (?, ?, ?, 'system', ?, 'system', 'system', ?, 'delivered', ?, ?, ?)""",
          systemMessageId, conversationId, agentId, platform, explanation, inboundIds.isEmpty() ? null : inboundIds.get(0),
          now, now);
      setStatus(sql, inboundIds, FAILED, explanation, now);
      return null;
    });
  }

  /**
   * Appends a branch or worker result to the conversation as a system line, so the history a channel
   * reloads after a restart still holds it. {@code senderName} is the process kind. A result that
   * awaits its turn is {@code received} until that turn is recorded (like an inbound message), so a
   * reopened channel runs the turn it missed; one that asks for none is {@code delivered} at once.
   */
  public Future<Void> appendProcessResult(String conversationId, String agentId, String platform, String id,
      String processId, String kind, String text, boolean awaitsTurn) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text, status,
                               created_at, updated_at)
          VALUES (?, ?, ?, 'system', ?, ?, ?, ?, ?, ?, ?)""",
          id, conversationId, agentId, platform, processId, kind, text, awaitsTurn ? RECEIVED : DELIVERED, now, now);
      return null;
    });
  }

  /**
   * Messages of one conversation containing every word of {@code query} (case-insensitive), newest
   * first; without a query, the newest messages.
   */
  public Future<List<TranscriptMessage>> search(String conversationId, String query, int limit) {
    List<String> words = query == null ? List.of()
        : Arrays.stream(query.strip().split("\\s+")).filter(w -> !w.isEmpty()).limit(8).toList();
    StringBuilder where = new StringBuilder("conversation_id = ?");
    List<Object> args = new ArrayList<>();
    args.add(conversationId);
    for (String w : words) {
      where.append(" AND text LIKE ? ESCAPE '\\'");
      args.add("%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    args.add(limit);
    return db.reader().preparedQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE " + where + " ORDER BY seq DESC LIMIT ?")
        .execute(Tuple.from(args))
        .map(rows -> {
          List<TranscriptMessage> out = new ArrayList<>();
          rows.forEach(r -> out.add(message(r)));
          return out;
        });
  }

  /** Pins a conversation to a model, or unpins it with null; creates the conversation row if it has none yet. */
  public Future<Void> setModelOverride(String conversationId, String agentId, String platform, String model) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO conversations(id, agent_id, platform, created_at, last_activity_at, model_override)
          VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET model_override = excluded.model_override""",
          conversationId, agentId, platform, now, now, model);
      return null;
    });
  }

  /** The model a conversation is pinned to, if any. */
  public Future<String> modelOverride(String conversationId) {
    return db.reader().preparedQuery("SELECT model_override FROM conversations WHERE id = ?")
        .execute(Tuple.of(conversationId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("model_override"));
  }

  /** The conversations' directory: listing, the agent's other channels, who owns one (same database). */
  public ConversationDirectory directory() {
    return directory;
  }

  /** A message's {status, error} ({@code pending}, {@code delivered}, {@code failed}...); {} for none. */
  public Future<JsonObject> messageStatus(String messageId) {
    return db.reader().preparedQuery("SELECT status, error FROM messages WHERE id = ?")
        .execute(Tuple.of(messageId))
        .map(rows -> rows.size() == 0 ? new JsonObject() : new JsonObject()
            .put("status", rows.iterator().next().getString("status"))
            .put("error", rows.iterator().next().getString("error")));
  }

  /**
   * The agent sent a message from one conversation to another: the target's transcript gets it as the agent's own
   * message, with its outbox row, and the source's a line ({@link #SENT_ELSEWHERE}) saying what went where; in one
   * transaction, so neither side can hold it without the other.
   */
  public Future<Void> recordSentElsewhere(String sourceConversationId, String sourcePlatform, String noteId, String note,
      OutboundMessage message) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO conversations(id, agent_id, platform, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET last_activity_at = excluded.last_activity_at""",
          message.conversationId(), message.agentId(), message.platform(), now, now);
      sql.update("""
          INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text,
                               status, in_reply_to, created_at, updated_at)
          VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?, 'pending', NULL, ?, ?)""",
          message.id(), message.conversationId(), message.agentId(), message.platform(), message.agentId(), null,
          message.text(), now, now);
      OutboxRepository.insert(sql, message, now);
      sql.update("""
          INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text, status,
                               created_at, updated_at)
          VALUES (?, ?, ?, 'system', ?, ?, ?, ?, 'delivered', ?, ?)""",
          noteId, sourceConversationId, message.agentId(), sourcePlatform, message.agentId(), SENT_ELSEWHERE, note, now,
          now);
      sql.update("UPDATE conversations SET last_activity_at = ? WHERE id = ?", now, sourceConversationId);
      return null;
    });
  }

  /**
   * A person edited or deleted one of their messages: the newest text is kept (a deletion keeps the text and marks
   * it), and nothing is answered again.
   *
   * @return whether such a message was found
   */
  public Future<Boolean> applyEdit(String conversationId, String platformMessageId, String text, boolean deleted) {
    long now = System.currentTimeMillis();
    return db.write(sql -> deleted
        ? sql.update("UPDATE messages SET deleted_at = ?, updated_at = ? WHERE conversation_id = ? AND platform_message_id = ?"
            + " AND direction = 'inbound'", now, now, conversationId, platformMessageId) > 0
        : sql.update("UPDATE messages SET text = ?, edited_at = ?, updated_at = ? WHERE conversation_id = ?"
            + " AND platform_message_id = ? AND direction = 'inbound'", text, now, now, conversationId, platformMessageId) > 0);
  }

  /** Messages kept without a turn (observe mode, no mention): in history, never answered. */
  public Future<Void> markObserved(List<String> ids) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      setStatus(sql, ids, OBSERVED, null, now);
      return null;
    });
  }

  /** Sets (or clears, with null) a conversation's own response mode. */
  public Future<Void> setResponseMode(String conversationId, String agentId, String platform, String mode) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO conversations(id, agent_id, platform, created_at, last_activity_at, response_mode)
          VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET response_mode = excluded.response_mode""",
          conversationId, agentId, platform, now, now, mode);
      return null;
    });
  }

  /** A conversation's pin and its own response mode (either may be null). */
  public record ConversationSettings(String modelOverride, String responseMode) {}

  public Future<ConversationSettings> settings(String conversationId) {
    return db.reader().preparedQuery("SELECT model_override, response_mode FROM conversations WHERE id = ?")
        .execute(Tuple.of(conversationId))
        .map(rows -> {
          if (rows.size() == 0) {
            return new ConversationSettings(null, null);
          }
          Row r = rows.iterator().next();
          return new ConversationSettings(r.getString("model_override"), r.getString("response_mode"));
        });
  }

  /** Inbound messages accepted but never answered (e.g. the process died mid-turn), oldest first. */
  public Future<List<InboundMessage>> unanswered() {
    return db.reader().query("""
            SELECT id, agent_id, platform, conversation_id, sender_id, sender_name, text, created_at, platform_message_id,
                   details
            FROM messages WHERE direction = 'inbound' AND status = 'received' ORDER BY seq""")
        .execute()
        .map(rows -> {
          List<InboundMessage> out = new ArrayList<>();
          for (Row r : rows) {
            JsonObject json = new JsonObject().put("id", r.getString("id")).put("agent_id", r.getString("agent_id"))
                .put("platform", r.getString("platform")).put("conversation_id", r.getString("conversation_id"))
                .put("sender_id", r.getString("sender_id")).put("sender_name", r.getString("sender_name"))
                .put("text", r.getString("text")).put("timestamp", r.getLong("created_at"))
                .put("platform_message_id", r.getString("platform_message_id"));
            String details = r.getString("details");
            if (details != null) {
              json.mergeIn(new JsonObject(details));
            }
            out.add(InboundMessage.fromJson(json));
          }
          return out;
        });
  }

  /** A conversation with background results that never had their turn (a stop came in between). */
  public record PendingResults(String conversationId, String agentId, String platform) {}

  public Future<List<PendingResults>> conversationsWithPendingResults() {
    return db.reader().query("""
            SELECT DISTINCT m.conversation_id, m.agent_id, c.platform FROM messages m
            JOIN conversations c ON c.id = m.conversation_id
            WHERE m.direction = 'system' AND m.status = 'received'""")
        .execute()
        .map(rows -> {
          List<PendingResults> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new PendingResults(r.getString("conversation_id"), r.getString("agent_id"), r.getString("platform")));
          }
          return out;
        });
  }

  private static void setStatus(SqliteWriter.Statements sql, List<String> ids, String status, String error, long now)
      throws SQLException {
    for (String id : ids) {
      sql.update("UPDATE messages SET status = ?, error = ?, updated_at = ? WHERE id = ?", status, error, now, id);
    }
  }

  /** What an inbound row keeps beyond its columns; null for a plain message (the web chat). */
  private static String details(InboundMessage m) {
    JsonObject json = m.toJson();
    JsonObject details = new JsonObject();
    for (String key : new String[] {"addressing", "reply_to", "attachments", "metadata"}) {
      if (json.getValue(key) != null) {
        details.put(key, json.getValue(key));
      }
    }
    if (details.getJsonObject("metadata") != null && details.getJsonObject("metadata").isEmpty()) {
      details.remove("metadata");
    }
    return details.isEmpty() ? null : details.encode();
  }

  private static boolean isUniqueViolation(Throwable err) {
    String msg = String.valueOf(err.getMessage());
    return msg.contains("UNIQUE constraint failed");
  }

  private static TranscriptMessage message(Row r) {
    return new TranscriptMessage(r.getString("id"), r.getString("conversation_id"), r.getString("direction"),
        r.getString("sender_id"), r.getString("sender_name"), r.getString("text"), r.getString("status"),
        r.getString("in_reply_to"), r.getLong("created_at"));
  }
}
