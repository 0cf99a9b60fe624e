"""Check one site file with the importer and print one JSON line: the check that an upload and `python -m geo
validate` run in their checking process (geo/imports/worker.py), called here directly, so the figures are
the check with the importer's imports and no fork server.

Started by bench/measure_server.py in a process of its own, which measures this whole process's wall
time; the JSON adds the time of the check call itself, what the importer found and the process's own
peak memory (`peak_mb`, see `own_peak_mb`).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def own_peak_mb() -> float:
    """This process's peak resident memory, and that of any process it waited for, in MB.

    Not the starting process's `wait4` figure: on Linux a program started by `exec` inherits the peak of
    the process that started it as its own maximum RSS (the benchmark's runner holds some 660 MB of
    synthetic sites when it starts the check), while VmHWM belongs to this program's memory alone."""
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    high_water_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(high_water_kb, children_kb) / 1024


def main() -> int:
    from geo.imports.importer import read_user_file  # the importer's public entry for validating a file

    path = Path(sys.argv[1]).resolve()
    os.chdir(PROJECT_ROOT)
    started = time.perf_counter()
    result = read_user_file(path)
    seconds = time.perf_counter() - started
    severities = Counter(problem.severity for problem in result.problems)
    errors = [problem.message_en for problem in result.problems if problem.severity == "error"]
    print(
        json.dumps(
            {
                "check_s": round(seconds, 2),
                "sites": len(result.sites),
                "errors": severities["error"],
                "warnings": severities["warning"],
                "first_errors": errors[:3],
                "peak_mb": round(own_peak_mb(), 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
