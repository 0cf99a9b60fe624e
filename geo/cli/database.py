"""``python -m geo db init|status``: the PostgreSQL/PostGIS store for a deployment with several replicas.

    STANDORTATLAS_DATABASE_URL=postgresql://atlas_migrate@db/atlas python -m geo db init --app-role atlas_app
    python -m geo db status

`init` applies the schema migrations (geo/store/migrations/NNN_name.sql, recorded in the table
``schema_migrations``) and, when the store is still empty, loads the sites (and the table ``site_facts``,
when the GeoPackage has it) from data/sites.gpkg as the first state. Running it again is safe: it only
applies new migrations. The reference layers (boundaries, zones, districts, stations) stay in
data/reference.gpkg: they are built from published sources, change only with a release of the atlas,
are the same for every replica and are never written at run time.

Run `init` as the database's owner (the migration role); `--app-role` then gives the app's role exactly
the rights the store uses (geo/store/roles.py). `status` names the role it connected as and warns when it
is a superuser.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from geo.core.errors import ExitCode
from geo.core.paths import SITES_GPKG


def register(subparsers: argparse._SubParsersAction) -> None:
    database = subparsers.add_parser(
        "db", help="PostgreSQL/PostGIS store: create the schema and load the data (db init), show its state"
    )
    commands = database.add_subparsers(dest="db_command", required=True, metavar="<db command>")
    url_option = argparse.ArgumentParser(add_help=False)
    url_option.add_argument("--url", help="database URL (default: $STANDORTATLAS_DATABASE_URL)")

    init = commands.add_parser(
        "init", parents=[url_option], help="apply the schema migrations and load the bundled sites into an empty store"
    )
    init.add_argument("--sites", type=Path, default=SITES_GPKG, help=f"sites to load (default: {SITES_GPKG})")
    init.add_argument(
        "--app-role",
        metavar="ROLE",
        help="the app's database role: grant it the store's rights (read, import, undo) and no others",
    )
    init.set_defaults(handler=_init)

    status = commands.add_parser(
        "status", parents=[url_option], help="schema version, data version, sites, kept versions"
    )
    status.set_defaults(handler=_status)


def _url(args: argparse.Namespace) -> str | None:
    from geo import store

    url = args.url or os.environ.get(store.DATABASE_URL_ENV, "").strip()
    if not url:
        print(
            "Fehler: keine Datenbank angegeben (--url oder STANDORTATLAS_DATABASE_URL). / "
            "error: no database given (--url or STANDORTATLAS_DATABASE_URL).",
            file=sys.stderr,
        )
        return None
    return url


def _init(args: argparse.Namespace) -> int:
    import pyogrio

    from geo import store
    from geo.core.schema import STORAGE_CRS
    from geo.store import postgis as store_postgis

    url = _url(args)
    if url is None:
        return ExitCode.USAGE
    applied = store_postgis.migrate(url)
    for name in applied:
        print(f"Migration angewandt / applied: {name}")
    if not applied:
        print("Schema aktuell / schema up to date")
    if not args.sites.is_file():
        print(f"Fehler: {args.sites} fehlt / error: {args.sites} is missing", file=sys.stderr)
        return ExitCode.USAGE
    # the file itself, read directly: with the database URL set, geo.store would read the database
    sites = pyogrio.read_dataframe(args.sites, layer=store.SITES_LAYER).to_crs(STORAGE_CRS)
    facts = None
    if "site_facts" in {str(name) for name, _ in pyogrio.list_layers(args.sites)}:
        facts = pyogrio.read_dataframe(args.sites, layer="site_facts", read_geometry=False)
    if store_postgis.load_initial(url, sites, facts):
        fact_text = "" if facts is None else f", {len(facts)} Fakten / facts"
        print(f"Geladen / loaded: {len(sites)} Standorte / sites{fact_text} aus / from {args.sites}")
    else:
        print(
            "Die Datenbank enthält schon Standorte; nichts geladen. / The database already holds sites; nothing loaded."
        )
    if args.app_role:
        from geo.store import roles

        try:
            roles.grant_app_role(url, args.app_role)
        except roles.RoleError as error:
            print(f"Fehler / error: {error}", file=sys.stderr)
            return ExitCode.REFUSED
        print(f"Rechte der App-Rolle gesetzt / app role's rights granted: {args.app_role}")
    print(f"{store_postgis.describe(url)}: Version {store_postgis.data_version(url)}")
    return ExitCode.OK


def _status(args: argparse.Namespace) -> int:
    from geo.store import postgis as store_postgis
    from geo.store import roles

    url = _url(args)
    if url is None:
        return ExitCode.USAGE
    print(store_postgis.describe(url))
    role, superuser = roles.connected_role(url)
    warning = (
        " – ein Superuser: die App braucht eine Rolle ohne Superuser-Rechte (docs/deployment.md) / a superuser: "
        "the app needs a role without superuser rights"
    )
    print(f"  Rolle / role: {role}" + (warning if superuser else ""))
    schema = store_postgis.schema_version(url)
    print(
        f"  Schema: {'–' if schema is None else f'{schema:03d}'} "
        f"(neueste / newest {store_postgis.migrations()[-1][0]:03d})"
    )
    if schema is None:
        print("  Noch kein Schema: python -m geo db init / no schema yet: python -m geo db init")
        return ExitCode.REFUSED
    sites = store_postgis.read_sites(url, missing_ok=True)
    print(
        f"  Version: {store_postgis.data_version(url)} · {len(sites)} Standorte / sites · "
        f"{len(store_postgis.history(url))} gesicherte Versionen / kept versions"
    )
    return ExitCode.OK
