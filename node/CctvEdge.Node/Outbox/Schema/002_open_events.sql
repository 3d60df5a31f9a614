-- Events published with a start and no end yet. A row is written or removed in the same commit as the result that
-- opens or closes its event, so after a crash, a power cut or a stop this table lists exactly the events nobody
-- closed; the next run closes them (InterruptedEvents).
CREATE TABLE open_events (
    camera_id    TEXT    NOT NULL,
    plugin_id    TEXT    NOT NULL,
    event_id     TEXT    NOT NULL,
    event        BLOB    NOT NULL,   -- the latest Event message published for it
    last_seen_ms INTEGER NOT NULL,   -- the camera's last frame while it was open (its start, then every few seconds)
    PRIMARY KEY (camera_id, plugin_id, event_id)
);
