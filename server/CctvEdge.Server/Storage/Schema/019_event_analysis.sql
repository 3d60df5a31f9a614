-- Labels server processors put on an event (central detection, issue 14): {"labels": [{"label", "score", "box",
-- "source"}, ...]}, '' when none. Kept apart from payload_json, which the node rewrites with every update of the event;
-- the events pages read the labels of both.
ALTER TABLE events ADD COLUMN analysis_json TEXT NOT NULL DEFAULT '';
-- Raised past every other event's each time a processor labels one: the notification rules judge labelled events
-- again in this order (an event labelled after it was judged can now match a rule with labels).
ALTER TABLE events ADD COLUMN analysis_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_by_analysis ON events (analysis_seq) WHERE analysis_seq > 0;
