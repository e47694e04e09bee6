-- The usage ledger: one row per model call (ok or failed), as sent on spacebot.usage.record.
-- cost_usd is DOUBLE, not REAL: JDBC maps REAL to a 32-bit float.
CREATE TABLE usage (
  id                TEXT PRIMARY KEY,
  timestamp         INTEGER NOT NULL, -- epoch ms of the call
  agent_id          TEXT NOT NULL,
  process_kind      TEXT NOT NULL,    -- channel, branch, worker, compactor, cortex
  process_id        TEXT,
  conversation_id   TEXT,
  model             TEXT NOT NULL,    -- provider/model that answered (or failed)
  input_tokens      INTEGER NOT NULL DEFAULT 0,
  output_tokens     INTEGER NOT NULL DEFAULT 0,
  cached_tokens     INTEGER NOT NULL DEFAULT 0,
  latency_ms        INTEGER NOT NULL DEFAULT 0,
  cost_usd          DOUBLE NOT NULL DEFAULT 0,
  tier              TEXT,
  fallback_position INTEGER NOT NULL DEFAULT 0,
  outcome           TEXT NOT NULL,    -- ok or failed
  error             TEXT
);
-- Reports and today's totals read an agent's rows in a time range.
CREATE INDEX usage_agent_time ON usage (agent_id, timestamp);

-- Budgets an operator changed at run time; they win over the config until cleared.
CREATE TABLE budget_overrides (
  agent_id   TEXT NOT NULL,
  scope      TEXT NOT NULL CHECK (scope IN ('agent', 'conversation')),
  daily_usd  DOUBLE NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (agent_id, scope)
);
