-- Long-term memory on Postgres: rows, edges, the embedding (pgvector HNSW, cosine) and a generated
-- full-text vector (GIN). Landed migrations are never edited; add a new file instead.

-- A non-superuser cannot create the untrusted vector extension; scripts/install-postgres.sh puts it in
-- template1, so databases created afterwards already have it and this is a no-op.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE memories (
  id                 text PRIMARY KEY,
  -- insertion order: breaks ties between memories saved in the same millisecond
  seq                bigint GENERATED ALWAYS AS IDENTITY,
  agent_id           text NOT NULL,
  content            text NOT NULL,
  memory_type        text NOT NULL,
  importance         double precision NOT NULL,
  created_at         bigint NOT NULL, -- epoch millis, as in the embedded store
  updated_at         bigint NOT NULL,
  last_accessed_at   bigint NOT NULL,
  access_count       integer NOT NULL DEFAULT 0,
  forgotten          boolean NOT NULL DEFAULT false,
  source             text,
  channel_id         text,
  source_message_ids text[] NOT NULL DEFAULT '{}',
  human_id           text,
  embedding          vector(384) NOT NULL,
  content_tsv        tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
  -- When the merge and association passes last looked at this memory; NULL again whenever its
  -- content or embedding changes, so each pass only visits what is new.
  merge_checked_at   bigint,
  linked_at          bigint
);
CREATE INDEX memories_by_agent ON memories (agent_id, forgotten, memory_type);
CREATE UNIQUE INDEX memories_human_anchor ON memories (agent_id, human_id)
  WHERE memory_type = 'human' AND NOT forgotten;
CREATE INDEX memories_embedding_hnsw ON memories USING hnsw (embedding vector_cosine_ops);
CREATE INDEX memories_fulltext ON memories USING gin (content_tsv);
CREATE INDEX memories_merge_pending ON memories (agent_id, seq) WHERE merge_checked_at IS NULL AND NOT forgotten;
CREATE INDEX memories_link_pending ON memories (agent_id, seq) WHERE linked_at IS NULL AND NOT forgotten;

CREATE TABLE memory_edges (
  source_id     text NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
  target_id     text NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
  relation_type text NOT NULL,
  weight        double precision NOT NULL DEFAULT 0.5,
  created_at    bigint NOT NULL,
  PRIMARY KEY (source_id, target_id, relation_type)
);
CREATE INDEX memory_edges_by_target ON memory_edges (target_id);
