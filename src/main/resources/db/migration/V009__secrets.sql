-- The secret store (issue 12). One row per secret; the value is the plain text while the store is unencrypted,
-- else base64(nonce || AES-256-GCM ciphertext || tag) with the secret's name as associated data.
CREATE TABLE secrets (
  name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
  category   TEXT NOT NULL CHECK (category IN ('system', 'tool')),
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- How the values are protected: one row, absent while the store is unencrypted. mode is passphrase or key_file;
-- kdf_* are the Argon2id settings of a passphrase key; verifier is a known block under the key (base64), so a
-- wrong passphrase is told apart from damaged values.
CREATE TABLE secret_store (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  mode            TEXT NOT NULL CHECK (mode IN ('passphrase', 'key_file')),
  kdf_salt        TEXT,
  kdf_memory_kib  INTEGER,
  kdf_iterations  INTEGER,
  kdf_parallelism INTEGER,
  verifier        TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
);
