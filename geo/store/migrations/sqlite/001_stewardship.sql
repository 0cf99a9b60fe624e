-- The stewardship ledger of the GeoPackage store, in data/stewardship.sqlite beside sites.gpkg (attached
-- as `atlas`, so the store's SQL is the same as in PostgreSQL): the same tables as the PostgreSQL
-- migration 005_stewardship.sql. A file of its own, because every write replaces sites.gpkg and an undo
-- brings back an earlier copy of it: accounts, proposals and the change log must not go back with it.

CREATE TABLE atlas.accounts (
    name text PRIMARY KEY CHECK (length(name) BETWEEN 2 AND 40),
    role text NOT NULL CHECK (role IN ('admin', 'editor', 'partner')),
    password_hash text,
    email text UNIQUE,
    sites text NOT NULL DEFAULT '[]',
    districts text NOT NULL DEFAULT '[]',
    created_at text NOT NULL,
    disabled_at text,
    sessions_valid_after text NOT NULL
);

CREATE TABLE atlas.proposals (
    proposal_id integer PRIMARY KEY AUTOINCREMENT,
    author text NOT NULL REFERENCES accounts (name),
    created_at text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('file', 'form')),
    site_ids text NOT NULL,
    summary text NOT NULL,
    payload text NOT NULL,
    base_version text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by text REFERENCES accounts (name),
    decided_at text,
    reason text,
    change_id integer
);
CREATE INDEX atlas.proposals_status_idx ON proposals (status, proposal_id);

CREATE TABLE atlas.changes (
    change_id integer PRIMARY KEY AUTOINCREMENT,
    applied_at text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('proposal', 'import', 'figures', 'undo', 'restore')),
    proposal_id integer REFERENCES proposals (proposal_id),
    proposed_by text NOT NULL,
    approved_by text NOT NULL,
    version_before text,
    version_after text NOT NULL
);

CREATE TABLE atlas.change_fields (
    change_id integer NOT NULL REFERENCES changes (change_id),
    site_id text NOT NULL,
    field text NOT NULL,
    before text,
    after text,
    PRIMARY KEY (change_id, site_id, field)
);
CREATE INDEX atlas.change_fields_site_idx ON change_fields (site_id, change_id);
