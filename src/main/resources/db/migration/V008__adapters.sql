-- Platform adapters (issue 11).
-- A conversation's own response mode, set by /active, /observe, /mention-only (null: the binding's).
ALTER TABLE conversations ADD COLUMN response_mode TEXT;
-- A person edited or deleted their message: the transcript keeps the newest text and says so.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
-- An inbound message's addressing, reply target, attachments and platform metadata (JSON), so a message
-- resumed after a restart is decided and answered exactly as it would have been.
ALTER TABLE messages ADD COLUMN details TEXT;
-- The platform's ids of what a delivery sent (JSON array, one per part): the receipt of a delivered row, and
-- for a row still pending, the parts that went out already (a retry skips them).
ALTER TABLE outbox ADD COLUMN platform_message_ids TEXT;
CREATE INDEX outbox_by_status ON outbox (status, updated_at);
-- What an adapter keeps across restarts, e.g. Telegram's update offset.
CREATE TABLE adapter_state (
  adapter    TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (adapter, key)
);
