-- The node's outbox. Times are Unix milliseconds (UTC).

-- Results waiting for the server's ack. AUTOINCREMENT makes the key a sequence that is never reused, even after
-- acknowledged rows are deleted: the server drops any sequence it already holds.
CREATE TABLE results (
    sequence   INTEGER PRIMARY KEY AUTOINCREMENT,
    payload    BLOB    NOT NULL,   -- the Result message, without its sequence
    created_ms INTEGER NOT NULL
);

-- Clips cut from the recording ring and waiting for upload. The file is in place (fsynced) before its row exists.
CREATE TABLE clips (
    id                 TEXT    PRIMARY KEY,
    camera_id          TEXT    NOT NULL,
    event_id           TEXT    NOT NULL DEFAULT '',
    reason             TEXT    NOT NULL DEFAULT '',
    start_ms           INTEGER NOT NULL,
    end_ms             INTEGER NOT NULL,
    size               INTEGER NOT NULL,
    sha256             BLOB    NOT NULL,
    path               TEXT    NOT NULL,    -- relative to the outbox directory
    announced_sequence INTEGER NOT NULL,    -- its ClipInfo result; the upload waits until the server acked it
    created_ms         INTEGER NOT NULL
);
CREATE INDEX clips_by_age ON clips (created_ms);

-- Clips requested (by a plugin, or continuous recording) and not yet cut: kept until the video they need exists.
CREATE TABLE clip_jobs (
    id         TEXT    PRIMARY KEY,        -- becomes the clip's id
    camera_id  TEXT    NOT NULL,
    start_ms   INTEGER NOT NULL,
    end_ms     INTEGER NOT NULL,
    event_id   TEXT    NOT NULL DEFAULT '',
    reason     TEXT    NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL
);

CREATE TABLE state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
