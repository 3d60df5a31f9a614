-- PostgreSQL's twin of ../019_event_analysis.sql: the same columns and index in PostgreSQL's types (SchemaParityTests keeps them in step).
-- Labels server processors put on an event (central detection) and the order they were put in, for the rules.
ALTER TABLE events ADD COLUMN analysis_json TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN analysis_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX events_by_analysis ON events (analysis_seq) WHERE analysis_seq > 0;
