-- Site maps (issue 18): plans of a site with its cameras and sensors pinned on them. A site has several (the yard,
-- the barn's inside); site is the nodes' own site text, '' for nodes without one.
-- The plan's bytes live in their own table so listing maps never reads megabytes of image.
CREATE TABLE site_maps (
    id         INTEGER PRIMARY KEY,
    site       TEXT    NOT NULL DEFAULT '',
    name       TEXT    NOT NULL COLLATE NOCASE,
    image_ms   INTEGER,                          -- when the plan was uploaded (the image URL's version); NULL: blank canvas
    updated_by TEXT    NOT NULL,
    updated_ms INTEGER NOT NULL,
    UNIQUE (site, name)
);

CREATE TABLE site_map_images (
    map_id       INTEGER PRIMARY KEY REFERENCES site_maps(id) ON DELETE CASCADE,
    content_type TEXT    NOT NULL,               -- image/png | image/jpeg, from the magic bytes
    bytes        BLOB    NOT NULL
);

-- Positions are fractions of the plan's width and height (0..1), so a pin stays on its spot at any screen size.
-- device_id is a camera id (kind camera) or a sensor id (kind sensor) of node_id. Rows are not tied to cameras by a
-- foreign key: a camera a node stops reporting keeps its place and shows as offline.
CREATE TABLE site_map_pins (
    map_id    INTEGER NOT NULL REFERENCES site_maps(id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL CHECK (kind IN ('camera', 'sensor')),
    node_id   TEXT    NOT NULL,
    device_id TEXT    NOT NULL,
    x         REAL    NOT NULL CHECK (x BETWEEN 0 AND 1),
    y         REAL    NOT NULL CHECK (y BETWEEN 0 AND 1),
    PRIMARY KEY (map_id, kind, node_id, device_id)
) WITHOUT ROWID;

-- A sensor pin's latest event: the server's threshold events name their sensor in the payload (SensorEventStore).
CREATE INDEX events_by_sensor ON events (node_id, payload_json ->> '$.sensor', start_ms DESC) WHERE kind = 'sensor';
