-- What the fleet page shows of each node beyond the overview: its site (set on the server, to group nodes), the
-- CPU temperature, the clock skew against the server and the age of the oldest thing waiting to be uploaded.
ALTER TABLE nodes ADD COLUMN site              TEXT    NOT NULL DEFAULT '';
ALTER TABLE nodes ADD COLUMN cpu_temperature   REAL;
ALTER TABLE nodes ADD COLUMN clock_skew_ms     INTEGER;     -- server time minus node time at the last heartbeat (includes the link's delay)
ALTER TABLE nodes ADD COLUMN oldest_pending_ms INTEGER;     -- null when nothing waits
