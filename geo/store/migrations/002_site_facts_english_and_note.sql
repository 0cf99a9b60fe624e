-- Site facts got an English value (for texts that differ by language) and a note beside the source.
ALTER TABLE atlas.site_facts ADD COLUMN value_en text;
ALTER TABLE atlas.site_facts ADD COLUMN note text;

CREATE OR REPLACE VIEW atlas.live_site_facts AS
SELECT f.site_id, f.field, f.value, f.unit, f.source_url, f.as_of, f.value_en, f.note
FROM atlas.site_facts f
JOIN atlas.store_state s ON f.snapshot_id = s.live_snapshot;
