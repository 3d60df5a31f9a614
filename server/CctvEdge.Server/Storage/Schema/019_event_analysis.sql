-- Labels server processors put on an event (central detection, issue 14): {"labels": [{"label", "score", "box",
-- "source"}, ...]}, '' when none. Kept apart from payload_json, which the node rewrites with every update of the event;
-- the events pages read the labels of both.
ALTER TABLE events ADD COLUMN analysis_json TEXT NOT NULL DEFAULT '';
