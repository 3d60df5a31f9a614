-- Sending notifications: channels (Telegram, webhook...), rules that pick events for them, and a durable delivery
-- outbox with one row per event and channel, written before anything is sent.
CREATE TABLE notification_channels (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    kind          TEXT    NOT NULL,                -- telegram | webhook
    settings      TEXT    NOT NULL,                -- JSON object of the settings that are not secret
    secrets       TEXT    NOT NULL DEFAULT '',     -- the secret ones (bot token, signing secret) as JSON, data-protected
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    last_sent_ms  INTEGER,
    last_error    TEXT    NOT NULL DEFAULT '',
    last_error_ms INTEGER
);

CREATE TABLE notification_rules (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    definition TEXT    NOT NULL,                   -- JSON: kinds, cameras, zones, channels, cooldownSeconds, ...
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);

-- When a rule last sent for a camera, for its cooldown.
CREATE TABLE notification_cooldowns (
    rule_id   INTEGER NOT NULL REFERENCES notification_rules(id) ON DELETE CASCADE,
    node_id   TEXT    NOT NULL,
    camera_id TEXT    NOT NULL,
    last_ms   INTEGER NOT NULL,
    PRIMARY KEY (rule_id, node_id, camera_id)
) WITHOUT ROWID;

CREATE TABLE notification_deliveries (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
    rule_id         INTEGER NOT NULL,              -- the first rule that chose this event for this channel
    rule_name       TEXT    NOT NULL,
    status          TEXT    NOT NULL,              -- pending | sent | dead
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_ms      INTEGER NOT NULL,
    sent_ms         INTEGER,
    external_id     TEXT    NOT NULL DEFAULT '',   -- what the channel answered, e.g. the Telegram message id
    UNIQUE (event_id, channel_id)                  -- two rules choosing one event for one channel send it once
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_ms);

-- Rules start with the events that arrive after this upgrade, not with the whole history.
INSERT INTO settings (key, value) VALUES ('rules.last_event_id', (SELECT COALESCE(MAX(id), 0) FROM events));
