-- Enrolment: an admin issues a one-time code, an installer runs `cctvedge-node enrol --server URL --code CODE` on the
-- node, and the server trades the code for a credential of that node's own. Only hashes are kept: a stolen database
-- holds no code or credential that works.
CREATE TABLE enrolment_codes (
    id          INTEGER PRIMARY KEY,
    code_hash   BLOB    NOT NULL UNIQUE,           -- SHA-256 of the code as typed, without dashes, upper case
    node_id     TEXT,                              -- when set, the code enrols only this node id
    comment     TEXT    NOT NULL DEFAULT '',
    created_by  TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL,
    used_ms     INTEGER,                           -- a code enrols one node, once
    used_by     TEXT,                              -- the node it enrolled
    revoked_ms  INTEGER
);

-- The credential each enrolled node presents in its hello and clip calls. One row per node: enrolling again (a
-- replaced Pi, with a code issued for its id) replaces the secret.
CREATE TABLE node_credentials (
    node_id     TEXT    PRIMARY KEY,
    secret_hash BLOB    NOT NULL,
    code_id     INTEGER NOT NULL,
    issued_ms   INTEGER NOT NULL,
    revoked_ms  INTEGER
);
