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
from pathlib import Path

from geo.cli.output import complain, say
from geo.core.errors import ExitCode
from geo.core.paths import SITES_GPKG
from geo.texts import Num


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
        complain("cli_db_no_database")
        return None
    return url


def _init(args: argparse.Namespace) -> int:
    import pyogrio

    from geo import store
    from geo.core import district_figures
    from geo.core.schema import STORAGE_CRS
    from geo.store import geopackage, postgis_connection
    from geo.store import postgis as store_postgis

    url = _url(args)
    if url is None:
        return ExitCode.USAGE
    applied = postgis_connection.migrate(url)
    for name in applied:
        say("cli_db_migration_applied", name=name)
    if not applied:
        say("cli_db_schema_up_to_date")
    if not args.sites.is_file():
        complain("cli_file_missing", path=args.sites)
        return ExitCode.USAGE
    # the file itself, read directly: with the database URL set, geo.store would read the database
    sites = pyogrio.read_dataframe(args.sites, layer=store.SITES_LAYER).to_crs(STORAGE_CRS)
    facts = None
    if "site_facts" in {str(name) for name, _ in pyogrio.list_layers(args.sites)}:
        facts = pyogrio.read_dataframe(args.sites, layer="site_facts", read_geometry=False)
    # the district figures of the file, else the bundled rows: the database always holds its own table
    figures = geopackage.read_figures_layer(args.sites)
    if figures is None:
        figures = district_figures.read_bundled_figures()
    if store_postgis.load_initial(url, sites, facts, figures):
        facts_count = 0 if facts is None else len(facts)
        say("cli_db_loaded", sites=Num(len(sites)), facts=Num(facts_count), source=args.sites)
        say("cli_db_loaded_figures", figures=Num(len(figures)))
    else:
        say("cli_db_already_loaded")
    if args.app_role:
        from geo.store import roles

        try:
            roles.grant_app_role(url, args.app_role)
        except roles.RoleError as error:
            complain("cli_error", message=error)
            return ExitCode.REFUSED
        say("cli_db_app_role_granted", role=args.app_role)
    print(f"{postgis_connection.describe(url)}: Version {postgis_connection.data_version(url)}")
    return ExitCode.OK


def _status(args: argparse.Namespace) -> int:
    from geo.store import postgis as store_postgis
    from geo.store import postgis_connection, roles

    url = _url(args)
    if url is None:
        return ExitCode.USAGE
    print(postgis_connection.describe(url))
    role, superuser = roles.connected_role(url)
    say("cli_db_role_superuser" if superuser else "cli_db_role", role=role)
    schema = postgis_connection.schema_version(url)
    newest = postgis_connection.migrations()[-1][0]
    say("cli_db_schema", schema="–" if schema is None else f"{schema:03d}", newest=f"{newest:03d}")
    if schema is None:
        say("cli_db_no_schema")
        return ExitCode.REFUSED
    sites = store_postgis.read_sites(url, missing_ok=True)
    say(
        "cli_db_state",
        version=postgis_connection.data_version(url),
        sites=Num(len(sites)),
        kept=Num(len(store_postgis.history(url))),
    )
    return ExitCode.OK
