-- The secret store (issue 12), as in the embedded store (db/migration/V009__secrets.sql). One row per secret; the
-- value is the plain text while the store is unencrypted, else base64(nonce || AES-256-GCM ciphertext || tag).
CREATE TABLE secrets (
  name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
  category   text NOT NULL CHECK (category IN ('system', 'tool')),
  value      text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
-- How the values are protected: one row, absent while the store is unencrypted.
CREATE TABLE secret_store (
  id              integer PRIMARY KEY CHECK (id = 1),
  mode            text NOT NULL CHECK (mode IN ('passphrase', 'key_file')),
  kdf_salt        text,
  kdf_memory_kib  integer,
  kdf_iterations  integer,
  kdf_parallelism integer,
  verifier        text NOT NULL,
  updated_at      bigint NOT NULL
);
