-- A conversation may be pinned to a model (API, later a /model command): it wins over every other routing rule.
-- Landed migrations are never edited; add a new file instead.
ALTER TABLE conversations ADD COLUMN model_override TEXT;
