-- PostgreSQL's twin of ../005_node_config.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- The fleet hub's configuration of each node's cameras, kept as numbered versions: a change is a new version, a
-- rollback is a new version with an old one's text, so every version a node ever ran stays readable.
CREATE TABLE node_configs (
    node_id      TEXT    NOT NULL,
    version      BIGINT  NOT NULL,
    cameras_json TEXT    NOT NULL,                  -- the node config file's Cameras section, as a JSON array
    created_ms   BIGINT  NOT NULL,
    author       TEXT    NOT NULL,                  -- a user's name, or 'node' for what a node reported it runs
    comment      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (node_id, version)
);

-- What the node did with the versions pushed to it.
ALTER TABLE nodes ADD COLUMN config_applied BIGINT  NOT NULL DEFAULT 0;  -- the version it runs
ALTER TABLE nodes ADD COLUMN config_refused BIGINT  NOT NULL DEFAULT 0;  -- the latest version it refused, if newer
ALTER TABLE nodes ADD COLUMN config_error   TEXT    NOT NULL DEFAULT '';  -- why it refused it
