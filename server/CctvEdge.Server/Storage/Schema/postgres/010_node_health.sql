-- PostgreSQL's twin of ../010_node_health.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- What the fleet page shows of each node beyond the overview: its site (set on the server, to group nodes), the
-- CPU temperature, the clock skew against the server and the age of the oldest thing waiting to be uploaded.
ALTER TABLE nodes ADD COLUMN site              TEXT    NOT NULL DEFAULT '';
ALTER TABLE nodes ADD COLUMN cpu_temperature   DOUBLE PRECISION;
ALTER TABLE nodes ADD COLUMN clock_skew_ms     BIGINT ;     -- server time minus node time at the last heartbeat (includes the link's delay)
ALTER TABLE nodes ADD COLUMN oldest_pending_ms BIGINT ;     -- null when nothing waits
