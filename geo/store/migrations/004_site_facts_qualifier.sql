-- A figure's qualifier (about, at_least, at_most; empty for the figure as stated): a source that says
-- "über 30 ha" states a lower bound, and the atlas shows it as "≥ 30 ha". Kept per snapshot like every
-- other column of a fact, so undo and restore bring it back with its figure.
ALTER TABLE atlas.site_facts ADD COLUMN qualifier text;

CREATE OR REPLACE VIEW atlas.live_site_facts AS
SELECT f.site_id, f.field, f.value, f.unit, f.source_url, f.as_of, f.value_en, f.note, f.qualifier
FROM atlas.site_facts f
JOIN atlas.store_state s ON f.snapshot_id = s.live_snapshot;
