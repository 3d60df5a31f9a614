-- Saved groups of cameras for the live grid and the wall ("Barn", "Gates"), shared by every user of the server.
-- cameras holds the members in tile order as space-separated node.camera keys: ids cannot contain either character,
-- and a group is always read and written whole.
CREATE TABLE camera_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    cameras    TEXT    NOT NULL,
    updated_by TEXT    NOT NULL,
    updated_ms INTEGER NOT NULL
);
