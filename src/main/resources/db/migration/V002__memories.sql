-- Long-term memory of the embedded store: rows, edges and the embedding (so the Lucene index can be
-- rebuilt from here without re-embedding). version rises on every write and lets the index catch up
-- after a crash between the SQLite commit and the index commit.

CREATE TABLE memories (
  id                 TEXT PRIMARY KEY,
  agent_id           TEXT NOT NULL,
  content            TEXT NOT NULL,
  memory_type        TEXT NOT NULL,
  importance         DOUBLE NOT NULL, -- DOUBLE, not REAL: JDBC maps REAL to a 32-bit float
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  last_accessed_at   INTEGER NOT NULL,
  access_count       INTEGER NOT NULL DEFAULT 0,
  forgotten          INTEGER NOT NULL DEFAULT 0,
  source             TEXT,
  channel_id         TEXT,
  source_message_ids TEXT NOT NULL DEFAULT '[]',
  human_id           TEXT,
  embedding          BLOB NOT NULL,
  version            INTEGER NOT NULL
);
CREATE INDEX memories_by_agent ON memories (agent_id, forgotten, memory_type);
CREATE INDEX memories_by_version ON memories (agent_id, version);
CREATE UNIQUE INDEX memories_human_anchor ON memories (agent_id, human_id)
  WHERE memory_type = 'human' AND forgotten = 0;

CREATE TABLE memory_edges (
  source_id     TEXT NOT NULL REFERENCES memories(id),
  target_id     TEXT NOT NULL REFERENCES memories(id),
  relation_type TEXT NOT NULL,
  weight        DOUBLE NOT NULL DEFAULT 0.5,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (source_id, target_id, relation_type)
);
CREATE INDEX memory_edges_by_target ON memory_edges (target_id);
