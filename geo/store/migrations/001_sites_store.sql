-- The sites store in PostgreSQL/PostGIS: immutable snapshots of the sites table, a pointer to the live
-- one, and the kept versions that undo and restore go back to. A write adds a snapshot and moves the
-- pointer in one transaction, so a reader always sees one whole snapshot.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS atlas;

-- One snapshot per write. `columns` lists the site columns in order with their kind (text, integer,
-- real, boolean, datetime), so a snapshot reads back with the columns and types it was written with,
-- whatever columns the sites carry (the GeoPackage store keeps any columns, and so does this one).
CREATE TABLE atlas.site_snapshots (
    snapshot_id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    columns jsonb NOT NULL,
    site_count integer NOT NULL,
    size_bytes bigint NOT NULL
);

-- The rows of a snapshot: the attributes as one JSON object, the geometry as PostGIS geometry.
CREATE TABLE atlas.site_rows (
    snapshot_id bigint NOT NULL REFERENCES atlas.site_snapshots ON DELETE CASCADE,
    row_number integer NOT NULL,
    site_id text,
    properties jsonb NOT NULL,
    geom geometry(Geometry, 4326),
    PRIMARY KEY (snapshot_id, row_number)
);
CREATE INDEX site_rows_geom_idx ON atlas.site_rows USING gist (geom);

-- Site facts (one row per site and fact field, with unit and source), kept per snapshot so undo brings
-- the facts back together with the sites they belong to.
CREATE TABLE atlas.site_facts (
    snapshot_id bigint NOT NULL REFERENCES atlas.site_snapshots ON DELETE CASCADE,
    site_id text NOT NULL,
    field text NOT NULL,
    value text,
    unit text,
    source_url text,
    as_of text,
    PRIMARY KEY (snapshot_id, site_id, field)
);

-- The kept versions: `previous` is the state before a write (what undo goes back to), `undone` a state
-- that undo replaced (restore brings it back).
CREATE TABLE atlas.kept_versions (
    kept_id bigserial PRIMARY KEY,
    snapshot_id bigint NOT NULL REFERENCES atlas.site_snapshots,
    kind text NOT NULL CHECK (kind IN ('previous', 'undone')),
    saved_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX kept_versions_kind_idx ON atlas.kept_versions (kind, saved_at DESC, kept_id DESC);

-- Exactly one row: the live snapshot and a generation number that grows with every write, undo and
-- restore. Replicas poll this row (cheap: one primary-key lookup) to notice a change.
CREATE TABLE atlas.store_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    instance_id text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text),
    live_snapshot bigint REFERENCES atlas.site_snapshots,
    generation bigint NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO atlas.store_state DEFAULT VALUES;

-- The live sites as an ordinary table-like view, for SQL users and desktop GIS (QGIS opens it).
CREATE VIEW atlas.live_sites AS
SELECT r.site_id,
       r.properties ->> 'name' AS name,
       r.properties ->> 'program' AS program,
       r.properties ->> 'state_code' AS state_code,
       r.properties ->> 'district_ags' AS district_ags,
       r.properties ->> 'municipality' AS municipality,
       r.properties ->> 'source_url' AS source_url,
       r.properties,
       r.geom
FROM atlas.site_rows r
JOIN atlas.store_state s ON r.snapshot_id = s.live_snapshot;

CREATE VIEW atlas.live_site_facts AS
SELECT f.site_id, f.field, f.value, f.unit, f.source_url, f.as_of
FROM atlas.site_facts f
JOIN atlas.store_state s ON f.snapshot_id = s.live_snapshot;
