-- PostgreSQL's twin of ../014_event_outages.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- The events timeline shades outages: the server's offline events and the nodes' camera-offline system events that
-- overlap a day, whatever day they began (a node can be down for weeks). Found by their end, an open one (no end yet)
-- counting as never ending, so a day's read touches only the outages that ended after it began, not every event
-- that started before its end.
CREATE INDEX events_outages ON events (COALESCE(end_ms, 9223372036854775807)) WHERE kind IN ('offline', 'system');
