package ai.spacebot.store;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.OutboundMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
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
  /** Outbound statuses. */
  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";

  private static final String MESSAGE_COLUMNS =
      "id, conversation_id, direction, sender_id, sender_name, text, status, in_reply_to, created_at";

  private final Database db;

  public TranscriptRepository(Database db) {
    this.db = db;
  }

  /** Stores an inbound message unless its (conversation, platform message id) was seen before. */
  public Future<Accepted> acceptInbound(InboundMessage m) {
    long now = System.currentTimeMillis();
    return db.writer().preparedQuery("""
            INSERT INTO conversations(id, agent_id, platform, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET last_activity_at = excluded.last_activity_at""")
        .execute(Tuple.of(m.conversationId(), m.agentId(), m.platform(), now, now))
        .compose(v -> db.writer().preparedQuery("""
                INSERT INTO messages(id, conversation_id, agent_id, direction, platform, platform_message_id,
                                     sender_id, sender_name, text, status, created_at, updated_at)
                VALUES (?, ?, ?, 'inbound', ?, ?, ?, ?, ?, 'received', ?, ?) ON CONFLICT DO NOTHING""")
            .execute(Tuple.from(new Object[] {m.id(), m.conversationId(), m.agentId(), m.platform(), m.platformMessageId(),
                m.senderId(), m.senderName(), m.text(), m.timestamp(), now})))
        .compose(rows -> {
          if (rows.rowCount() > 0) {
            return Future.succeededFuture(new Accepted(m.id(), false));
          }
          return db.reader().preparedQuery("SELECT id FROM messages WHERE conversation_id = ? AND platform_message_id = ?")
              .execute(Tuple.of(m.conversationId(), m.platformMessageId()))
              .map(found -> new Accepted(found.iterator().hasNext() ? found.iterator().next().getString("id") : m.id(), true));
        });
  }

  /** The last {@code limit} messages of a conversation, oldest first. */
  public Future<List<TranscriptMessage>> history(String conversationId, int limit) {
    return db.reader().preparedQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?")
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
    return db.tx(c -> {
      Future<Void> chain = Future.succeededFuture();
      if (reply != null) {
        chain = chain
            .compose(v -> c.preparedQuery("""
                    INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text,
                                         status, in_reply_to, created_at, updated_at)
                    VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?, 'pending', ?, ?, ?)""")
                .execute(Tuple.from(new Object[] {reply.id(), reply.conversationId(), reply.agentId(), reply.platform(),
                    reply.agentId(), null, reply.text(), reply.inReplyTo(), now, now}))
                .mapEmpty())
            .compose(v -> insertOutbox(c, reply, now));
      }
      return chain.compose(v -> setStatus(c, inboundIds, reply != null ? ANSWERED : SKIPPED, null, now)).map(true);
    }).recover(err -> isUniqueViolation(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** Queues a platform action that is not a transcript message (a reaction). */
  public Future<Void> enqueue(OutboundMessage action) {
    return db.tx(c -> insertOutbox(c, action, System.currentTimeMillis()))
        .recover(err -> isUniqueViolation(err) ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /** Marks inbound messages failed and adds a system line to the transcript explaining why. */
  public Future<Void> failTurn(String conversationId, String agentId, String platform, List<String> inboundIds,
      String systemMessageId, String explanation) {
    long now = System.currentTimeMillis();
    return db.tx(c -> c.preparedQuery("""
            INSERT INTO messages(id, conversation_id, agent_id, direction, platform, sender_id, sender_name, text, status,
                                 in_reply_to, created_at, updated_at)
            VALUES (?, ?, ?, 'system', ?, 'system', 'system', ?, 'delivered', ?, ?, ?)""")
        .execute(Tuple.from(new Object[] {systemMessageId, conversationId, agentId, platform, explanation,
            inboundIds.isEmpty() ? null : inboundIds.get(0), now, now}))
        .compose(v -> setStatus(c, inboundIds, FAILED, explanation, now)));
  }

  public Future<Void> markDelivered(PendingDelivery d) {
    long now = System.currentTimeMillis();
    return db.writer().preparedQuery("UPDATE outbox SET status = 'delivered', attempts = ?, updated_at = ? WHERE id = ?")
        .execute(Tuple.of(d.attempts(), now, d.outboxId()))
        .compose(v -> d.message().kind().equals(OutboundMessage.MESSAGE)
            ? db.writer().preparedQuery("UPDATE messages SET status = 'delivered', updated_at = ? WHERE id = ?")
                .execute(Tuple.of(now, d.message().id())).mapEmpty()
            : Future.<Void>succeededFuture());
  }

  public Future<Void> markFailed(PendingDelivery d, String error) {
    long now = System.currentTimeMillis();
    return db.writer().preparedQuery("UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?")
        .execute(Tuple.of(d.attempts(), error, now, d.outboxId()))
        .compose(v -> db.writer().preparedQuery("UPDATE messages SET status = 'failed', error = ?, updated_at = ? WHERE id = ?")
            .execute(Tuple.of(error, now, d.message().id())).mapEmpty());
  }

  /** Inbound messages accepted but never answered (e.g. the process died mid-turn), oldest first. */
  public Future<List<InboundMessage>> unanswered() {
    return db.reader().query("""
            SELECT id, agent_id, platform, conversation_id, sender_id, sender_name, text, created_at, platform_message_id
            FROM messages WHERE direction = 'inbound' AND status = 'received' ORDER BY seq""")
        .execute()
        .map(rows -> {
          List<InboundMessage> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new InboundMessage(r.getString("id"), r.getString("agent_id"), r.getString("platform"),
                r.getString("conversation_id"), r.getString("sender_id"), r.getString("sender_name"), r.getString("text"),
                r.getLong("created_at"), r.getString("platform_message_id"), new JsonObject()));
          }
          return out;
        });
  }

  /** Outbox rows still to send, oldest first. */
  public Future<List<PendingDelivery>> pendingDeliveries() {
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

  private static Future<Void> insertOutbox(SqlConnection c, OutboundMessage m, long now) {
    return c.preparedQuery("""
            INSERT INTO outbox(id, message_id, conversation_id, platform, idempotency_key, payload, status, attempts,
                               created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)""")
        .execute(Tuple.from(new Object[] {m.id(), m.kind().equals(OutboundMessage.MESSAGE) ? m.id() : null,
            m.conversationId(), m.platform(), m.idempotencyKey(), m.toJson().encode(), now, now}))
        .mapEmpty();
  }

  private static Future<Void> setStatus(SqlConnection c, List<String> ids, String status, String error, long now) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
    Tuple args = Tuple.of(status, error, now);
    ids.forEach(args::addValue);
    return c.preparedQuery("UPDATE messages SET status = ?, error = ?, updated_at = ? WHERE id IN (" + marks + ")")
        .execute(args).mapEmpty();
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
