package ai.spacebot.store;

import ai.spacebot.bus.OutboundMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox: what is queued for a platform, what went out (with the platform's ids) and what failed. Rows are
 * written with their turn by {@link TranscriptRepository}; this class records each delivery's progress and lets an
 * operator list and retry failed ones.
 */
public final class OutboxRepository {
  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";

  private final Database db;

  public OutboxRepository(Database db) {
    this.db = db;
  }

  /** A delivered row, with the platform's ids of what it sent. */
  public Future<Void> markDelivered(PendingDelivery d, List<String> platformIds) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("UPDATE outbox SET status = 'delivered', attempts = ?, platform_message_ids = ?, updated_at = ? WHERE id = ?",
          d.attempts(), new JsonArray(platformIds).encode(), now, d.outboxId());
      if (d.message().kind().equals(OutboundMessage.MESSAGE)) {
        sql.update("UPDATE messages SET status = 'delivered', platform_message_id = ?, updated_at = ? WHERE id = ?",
            ai.spacebot.bus.DeliveryReceipt.firstMessageId(platformIds), now, d.message().id());
      }
      return null;
    });
  }

  /** Parts of a split message went out before an attempt failed: a retry (also after a restart) skips them. */
  public Future<Void> recordProgress(PendingDelivery d) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("UPDATE outbox SET attempts = ?, platform_message_ids = ?, payload = ?, updated_at = ? WHERE id = ?",
          d.attempts(), new JsonArray(d.message().deliveredParts()).encode(), d.message().toJson().encode(), now,
          d.outboxId());
      return null;
    });
  }

  public Future<Void> markFailed(PendingDelivery d, String error) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?, payload = ?, platform_message_ids = ?,
                            updated_at = ? WHERE id = ?""",
          d.attempts(), error, d.message().toJson().encode(), new JsonArray(d.message().deliveredParts()).encode(), now,
          d.outboxId());
      sql.update("UPDATE messages SET status = 'failed', error = ?, updated_at = ? WHERE id = ?", error, now,
          d.message().id());
      return null;
    });
  }

  /** Outbox rows still to send, oldest first. */
  public Future<List<PendingDelivery>> pending() {
    return db.reader().query("SELECT id, payload, attempts FROM outbox WHERE status = 'pending' ORDER BY created_at")
        .execute()
        .map(rows -> {
          List<PendingDelivery> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new PendingDelivery(r.getString("id"), OutboundMessage.fromJson(new JsonObject(r.getString("payload"))),
                r.getInteger("attempts")));
          }
          return out;
        });
  }

  /** Deliveries, newest first; {@code status} and {@code platform} null for all. */
  public Future<List<JsonObject>> list(String status, String platform, int limit) {
    StringBuilder where = new StringBuilder("1 = 1");
    List<Object> args = new ArrayList<>();
    if (status != null) {
      where.append(" AND status = ?");
      args.add(status);
    }
    if (platform != null) {
      where.append(" AND platform = ?");
      args.add(platform);
    }
    args.add(limit);
    return db.reader().preparedQuery("SELECT id, message_id, conversation_id, platform, payload, status, attempts, "
            + "last_error, platform_message_ids, created_at, updated_at FROM outbox WHERE " + where
            + " ORDER BY updated_at DESC LIMIT ?")
        .execute(Tuple.from(args))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            OutboundMessage m = OutboundMessage.fromJson(new JsonObject(r.getString("payload")));
            String ids = r.getString("platform_message_ids");
            out.add(new JsonObject().put("id", r.getString("id")).put("message_id", r.getString("message_id"))
                .put("conversation_id", r.getString("conversation_id")).put("platform", r.getString("platform"))
                .put("kind", m.kind()).put("status", r.getString("status")).put("attempts", r.getInteger("attempts"))
                .put("last_error", r.getString("last_error"))
                .put("platform_message_ids", ids == null ? new JsonArray() : new JsonArray(ids))
                .put("created_at", r.getLong("created_at")).put("updated_at", r.getLong("updated_at"))
                .put("text", m.text()));
          }
          return out;
        });
  }

  /** One outbox row of a conversation, with its position for a reader that pages through them. */
  public record Queued(long cursor, OutboundMessage message, String status, long createdAt) {}

  /**
   * A conversation's rows after {@code cursor}, in the order they were queued. The cursor is the row's SQLite rowid:
   * it only grows, and the outbox is never vacuumed or pruned.
   */
  public Future<List<Queued>> after(String conversationId, long cursor, int limit) {
    return db.reader().preparedQuery("SELECT rowid AS seq, payload, status, created_at FROM outbox "
            + "WHERE conversation_id = ? AND rowid > ? ORDER BY rowid LIMIT ?")
        .execute(Tuple.of(conversationId, cursor, limit))
        .map(rows -> {
          List<Queued> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Queued(r.getLong("seq"), OutboundMessage.fromJson(new JsonObject(r.getString("payload"))),
                r.getString("status"), r.getLong("created_at")));
          }
          return out;
        });
  }

  /** The outcome of asking to retry a delivery. */
  public sealed interface Retry {
    record Queued(PendingDelivery delivery) implements Retry {}

    record NotFound() implements Retry {}

    record NotFailed(String status) implements Retry {}
  }

  /** A failed row back to pending with a fresh count of attempts; the parts that went out stay skipped. */
  public Future<Retry> retry(String outboxId) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      var find = sql.prepare("SELECT payload, status FROM outbox WHERE id = ?");
      find.setString(1, outboxId);
      String payload;
      String status;
      try (var rs = find.executeQuery()) {
        if (!rs.next()) {
          return new Retry.NotFound();
        }
        payload = rs.getString(1);
        status = rs.getString(2);
      }
      if (!FAILED.equals(status)) {
        return new Retry.NotFailed(status);
      }
      sql.update("UPDATE outbox SET status = 'pending', attempts = 0, last_error = NULL, updated_at = ? WHERE id = ?",
          now, outboxId);
      OutboundMessage m = OutboundMessage.fromJson(new JsonObject(payload));
      sql.update("UPDATE messages SET status = 'pending', error = NULL, updated_at = ? WHERE id = ? AND status = 'failed'",
          now, m.id());
      return (Retry) new Retry.Queued(new PendingDelivery(outboxId, m, 0));
    });
  }

  static void insert(SqliteWriter.Statements sql, OutboundMessage m, long now) throws SQLException {
    sql.update("""
        INSERT INTO outbox(id, message_id, conversation_id, platform, idempotency_key, payload, status, attempts,
                           created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)""",
        m.id(), m.kind().equals(OutboundMessage.MESSAGE) ? m.id() : null, m.conversationId(), m.platform(),
        m.idempotencyKey(), m.toJson().encode(), now, now);
  }
}
