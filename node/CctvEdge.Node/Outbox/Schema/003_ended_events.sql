-- An event stays listed after its end until a clip job covers that end. The recording plugin asks for a clip only once
-- the post-roll has passed, so a crash in between would lose the clip although its video is in the segment ring: the
-- next run tells observers of such an ended event again, and the clip is cut after all (InterruptedEvents).
ALTER TABLE open_events ADD COLUMN ended_ms INTEGER;   -- NULL while the event is open
CREATE INDEX open_events_by_camera_end ON open_events (camera_id, ended_ms);
