-- The stewardship ledger: named accounts, the proposals of partners, and the log of every applied change
-- with who proposed it, who approved it and each field before and after. These tables sit beside the
-- snapshots, not in them: an undo brings back earlier sites, never earlier accounts, proposals or log.
-- (The GeoPackage store keeps the same tables in an SQLite file beside sites.gpkg: migrations/sqlite/.)

CREATE TABLE atlas.accounts (
    name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
    role text NOT NULL CHECK (role IN ('admin', 'editor', 'partner')),
    password_hash text,                -- Argon2id (geo/store/accounts.py); NULL: only the OIDC login
    email text UNIQUE,                 -- the OIDC identity mapped to this account, lower-case
    sites text NOT NULL DEFAULT '[]',  -- a partner's scope: site ids (JSON list) ...
    districts text NOT NULL DEFAULT '[]',  -- ... and district AGS (JSON list)
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    disabled_at timestamptz,
    -- sessions that began before this moment are over (disable, new password), on every replica
    sessions_valid_after timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE atlas.proposals (
    proposal_id bigserial PRIMARY KEY,
    author text NOT NULL REFERENCES atlas.accounts (name),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind text NOT NULL CHECK (kind IN ('file', 'form')),
    site_ids text NOT NULL,            -- JSON list of the sites it adds or changes
    summary text NOT NULL,             -- JSON: counts and the file's name
    payload text NOT NULL,             -- JSON: the checked sites and figures (geo/imports/proposal_payload.py)
    base_version text NOT NULL,        -- the data version it was compared with
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by text REFERENCES atlas.accounts (name),
    decided_at timestamptz,
    reason text,
    change_id bigint
);
CREATE INDEX proposals_status_idx ON atlas.proposals (status, proposal_id);

-- One row per applied change (an approved proposal, an editor's import or district figures, an undo, a
-- restore; for district figures a field row's site_id is the district's AGS). The names
-- are text, not references: the shared password of a one-person installation has no account.
CREATE TABLE atlas.changes (
    change_id bigserial PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind text NOT NULL CHECK (kind IN ('proposal', 'import', 'figures', 'undo', 'restore')),
    proposal_id bigint REFERENCES atlas.proposals (proposal_id),
    proposed_by text NOT NULL,
    approved_by text NOT NULL,
    version_before text,
    version_after text NOT NULL
);

CREATE TABLE atlas.change_fields (
    change_id bigint NOT NULL REFERENCES atlas.changes (change_id),
    site_id text NOT NULL,
    field text NOT NULL,
    before text,
    after text,
    PRIMARY KEY (change_id, site_id, field)
);
CREATE INDEX change_fields_site_idx ON atlas.change_fields (site_id, change_id);
