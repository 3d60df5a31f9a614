-- PostgreSQL's twin of ../002_clips.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- Clips: announced through the results stream (state 'pending'), stored once their upload is verified ('stored').
CREATE TABLE clips (
    id           TEXT    PRIMARY KEY,               -- chosen by the node
    node_id      TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    camera_id    TEXT    NOT NULL,
    event_id     TEXT    NOT NULL DEFAULT '',
    reason       TEXT    NOT NULL DEFAULT '',
    start_ms     BIGINT  NOT NULL,
    end_ms       BIGINT  NOT NULL,
    size         BIGINT  NOT NULL,
    sha256       BYTEA    NOT NULL,
    content_type TEXT    NOT NULL DEFAULT 'video/mp4',
    state        TEXT    NOT NULL DEFAULT 'pending',
    path         TEXT,                              -- relative to the clips directory, once stored
    announced_ms BIGINT  NOT NULL,
    stored_ms    BIGINT ,
    flagged      BIGINT  NOT NULL DEFAULT 0          -- kept by retention
);
CREATE INDEX clips_by_camera ON clips (node_id, camera_id, start_ms);
CREATE INDEX clips_by_start ON clips (start_ms);

ALTER TABLE files ADD COLUMN clip_id TEXT NOT NULL DEFAULT '';
CREATE INDEX files_by_clip ON files (clip_id);

ALTER TABLE nodes ADD COLUMN pending_clips BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN pending_clip_bytes BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN lost_clips BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN upload_error TEXT NOT NULL DEFAULT '';
