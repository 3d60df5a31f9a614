-- Plugin rollout: packages (zips of plugin folders) uploaded to the server, and their installation on nodes.
CREATE TABLE plugin_packages (
    id          TEXT    PRIMARY KEY,               -- the zip's sha256, hex: the same upload twice is one package
    plugin_id   TEXT    NOT NULL,
    version     TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    size        INTEGER NOT NULL,
    uploaded_by TEXT    NOT NULL,
    uploaded_ms INTEGER NOT NULL
);

CREATE TABLE plugin_rollouts (
    id          INTEGER PRIMARY KEY,
    node_id     TEXT    NOT NULL,
    package_id  TEXT    NOT NULL REFERENCES plugin_packages (id),
    plugin_id   TEXT    NOT NULL,
    state       TEXT    NOT NULL,                  -- pending, sent, installed, failed, superseded
    error       TEXT    NOT NULL DEFAULT '',
    created_by  TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);
CREATE INDEX plugin_rollouts_node ON plugin_rollouts (node_id, state);
