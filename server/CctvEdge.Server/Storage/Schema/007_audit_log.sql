-- Who changed what, when: every write through the REST API (with the token it came with) and every change made on
-- the web app's pages. Rows are only added; retention keeps a year.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at_ms    INTEGER NOT NULL,
    actor    TEXT    NOT NULL,                     -- a user's name, 'anonymous' or 'console'
    via      TEXT    NOT NULL,                     -- 'web' (a page), 'api' (the sign-in cookie), 'token #id name', 'console'
    action   TEXT    NOT NULL,                     -- 'POST /api/nodes/barn/cameras', 'acknowledge', ...
    target   TEXT    NOT NULL DEFAULT '',
    outcome  TEXT    NOT NULL DEFAULT '',          -- an HTTP status, or what the change did
    remote   TEXT    NOT NULL DEFAULT ''           -- the caller's address, for API calls
);
CREATE INDEX audit_log_at ON audit_log (at_ms);
