-- PostgreSQL's twin of ../017_video_retrievals.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- Video fetched from a node's own store on demand (issue 18). A node reports the runs of video it holds per camera in
-- its heartbeats (recorded_json: [[start_ms, end_ms], ...], oldest first); a reviewer asks for a range; the node cuts
-- it and sends it as a clip whose id is the retrieval's id, so the clip row tells how far it got (announced, stored).
ALTER TABLE cameras ADD COLUMN recorded_json TEXT NOT NULL DEFAULT '[]';

CREATE TABLE retrievals (
    id           TEXT    PRIMARY KEY,             -- 32 hex digits; also the clip's id
    node_id      TEXT    NOT NULL,
    camera_id    TEXT    NOT NULL,
    start_ms     BIGINT  NOT NULL,
    end_ms       BIGINT  NOT NULL,
    -- pending: not yet sent (node offline); sent: down the session, no reply yet; accepted: the node queued the cut;
    -- refused: the node does not hold that video any more (error says what it holds).
    state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'accepted', 'refused')),
    error        TEXT    NOT NULL DEFAULT '',
    requested_by TEXT    NOT NULL,
    created_ms   BIGINT  NOT NULL,
    updated_ms   BIGINT  NOT NULL
);

CREATE INDEX retrievals_by_node ON retrievals (node_id, state);
CREATE INDEX retrievals_by_camera ON retrievals (node_id, camera_id, created_ms);
