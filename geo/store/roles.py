"""The database roles of a PostgreSQL deployment: the app's role gets exactly the rights the store uses.

Two roles, neither a superuser (docs/deployment.md, "PostgreSQL"):

- the *migration* role owns the database and runs ``python -m geo db init`` (creates and changes the
  schema: geo/store/migrations/);
- the *app* role is what the replicas and the stewards' commands connect as: it reads the sites and makes
  the writes of an import, undo and restore (a new snapshot with its rows and facts, the previous state
  kept, the live pointer moved, old snapshots pruned) and keeps the stewardship ledger (accounts and
  proposals are added and changed, the change log is only added to) — no DDL, no other table, no superuser powers such
  as ``COPY … TO/FROM PROGRAM``.

``grant_app_role`` runs as the owner after the migrations; it first takes back every right the role has
on the schema, so the role ends with exactly APP_ROLE_RIGHTS whatever it had before. A migration that
adds a table the store uses adds its line here.
"""

from __future__ import annotations

from psycopg import sql

from geo.store.postgis_connection import connection

# (privileges, objects) for the app role; the views live_sites and live_site_facts are read with the
# rights of their owner, so SELECT on them is all a reader needs. Rows of site_rows, site_facts and
# district_figures (migration 003) go with their snapshot (ON DELETE CASCADE, which PostgreSQL runs with
# the owner's rights).
APP_ROLE_RIGHTS: tuple[tuple[str, str], ...] = (
    ("USAGE", "SCHEMA atlas"),
    ("SELECT", "ALL TABLES IN SCHEMA atlas"),
    ("SELECT", "TABLE public.schema_migrations"),
    ("INSERT, DELETE", "TABLE atlas.site_snapshots, atlas.kept_versions"),
    ("INSERT", "TABLE atlas.site_rows, atlas.site_facts, atlas.district_figures"),
    ("UPDATE", "TABLE atlas.store_state"),
    # the stewardship ledger: accounts and proposals change; the change log is only ever added to
    ("INSERT, UPDATE", "TABLE atlas.accounts, atlas.proposals"),
    ("INSERT", "TABLE atlas.changes, atlas.change_fields"),
    ("USAGE", "ALL SEQUENCES IN SCHEMA atlas"),
)


class RoleError(ValueError):
    """The app role is missing or must not be used as the app's role."""


def grant_app_role(url: str, role: str) -> None:
    """Give ``role`` the store's rights and no others on the schema (run as the schema's owner)."""
    with connection(url) as conn:
        found = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if found is None:
            raise RoleError(f"the role {role!r} does not exist: CREATE ROLE {role} LOGIN PASSWORD '…'")
        if found[0]:
            raise RoleError(f"the role {role!r} is a superuser; the app needs a role without superuser rights")
        name = sql.Identifier(role)
        with conn.transaction():
            for objects in (
                "ALL TABLES IN SCHEMA atlas",
                "ALL SEQUENCES IN SCHEMA atlas",
                "SCHEMA atlas",
                "TABLE public.schema_migrations",
            ):
                conn.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.SQL(objects), name))
            for privileges, objects in APP_ROLE_RIGHTS:
                conn.execute(sql.SQL("GRANT {} ON {} TO {}").format(sql.SQL(privileges), sql.SQL(objects), name))


def connected_role(url: str) -> tuple[str, bool]:
    """(role name, is a superuser) of the connection that ``url`` gives."""
    with connection(url) as conn:
        row = conn.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if row is None:  # a role always sees itself in pg_roles; kept for the type checker
        raise RoleError("the database does not name the connected role")
    return str(row[0]), bool(row[1])
