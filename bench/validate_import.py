"""Check one site file with the importer, as `python -m geo validate` does, and print one JSON line.

Started by bench/measure_server.py in a process of its own, which measures this whole process's wall
time and peak memory; the JSON adds the time of the check call itself and what the importer found.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


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
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
