-- The durable transcript: conversations, every inbound and outbound message, and the outbox.
-- Landed migrations are never edited; add a new file instead.

CREATE TABLE conversations (
  id               TEXT PRIMARY KEY,
  agent_id         TEXT NOT NULL,
  platform         TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL
);

-- seq orders a conversation's messages; id is the stable public id.
CREATE TABLE messages (
  seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
  id                  TEXT NOT NULL UNIQUE,
  conversation_id     TEXT NOT NULL REFERENCES conversations(id),
  agent_id            TEXT NOT NULL,
  direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'system')),
  platform            TEXT NOT NULL,
  platform_message_id TEXT,
  sender_id           TEXT,
  sender_name         TEXT,
  text                TEXT NOT NULL,
  -- inbound: received -> answered | skipped | failed; outbound: pending -> delivered | failed
  status              TEXT NOT NULL,
  in_reply_to         TEXT,
  error               TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);

-- Platform message ids are unique within a conversation (Telegram's are per chat), so that is the dedup key.
CREATE UNIQUE INDEX messages_dedup ON messages (conversation_id, platform_message_id)
  WHERE platform_message_id IS NOT NULL;
CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
CREATE INDEX messages_unanswered ON messages (status) WHERE direction = 'inbound' AND status = 'received';

CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,
  message_id      TEXT,
  conversation_id TEXT NOT NULL,
  platform        TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox (created_at) WHERE status = 'pending';
