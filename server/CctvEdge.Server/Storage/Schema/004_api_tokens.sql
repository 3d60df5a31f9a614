-- API tokens for scripts and integrators: shown once, stored as the SHA-256 of their 256-bit secret (a secret that
-- random needs no slow hash), with scopes, an expiry and revocation. A token acts for its owner, never beyond the
-- owner's role nor beyond its own scopes.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    owner        TEXT    NOT NULL COLLATE NOCASE,   -- users.name
    scopes       TEXT    NOT NULL,                  -- space-separated: read | review | admin
    secret_hash  BLOB    NOT NULL,
    created_ms   INTEGER NOT NULL,
    expires_ms   INTEGER,                           -- NULL: never
    revoked_ms   INTEGER,
    last_used_ms INTEGER
);
