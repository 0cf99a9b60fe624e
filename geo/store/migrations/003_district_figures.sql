-- District figures (one row per district and indicator, each with its source and date), kept per snapshot
-- like the site facts, so an import of figures is a version that undo takes back.
CREATE TABLE atlas.district_figures (
    snapshot_id bigint NOT NULL REFERENCES atlas.site_snapshots ON DELETE CASCADE,
    ags text NOT NULL,
    indicator text NOT NULL,
    value double precision NOT NULL,
    as_of text NOT NULL,
    table_code text,
    source_url text NOT NULL,
    retrieved text,
    note text,
    PRIMARY KEY (snapshot_id, ags, indicator)
);

CREATE VIEW atlas.live_district_figures AS
SELECT f.ags, f.indicator, f.value, f.as_of, f.table_code, f.source_url, f.retrieved, f.note
FROM atlas.district_figures f
JOIN atlas.store_state s ON f.snapshot_id = s.live_snapshot;
