-- What the maintenance passes have already looked at, so each pass takes up where the last one
-- stopped instead of rescanning every memory. NULL = not yet (or changed since).
ALTER TABLE memories ADD COLUMN merge_checked_at INTEGER;
ALTER TABLE memories ADD COLUMN linked_at INTEGER;
CREATE INDEX memories_merge_pending ON memories (agent_id, created_at) WHERE merge_checked_at IS NULL AND forgotten = 0;
CREATE INDEX memories_link_pending ON memories (agent_id, created_at) WHERE linked_at IS NULL AND forgotten = 0;
