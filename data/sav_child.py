"""Read one SPSS file in a separate process: ``python -m data.sav_child`` (used by data.survey).

pyreadstat is C code; a damaged file can crash it (a segmentation fault was seen on a .sav
with one flipped byte). Run in a child process, such a crash ends the child, not the
dashboard's server and every session in it. The parent writes the bytes to a private file in
RAM-backed storage (/dev/shm where Linux has it) and removes it itself, also when the child
crashes; the result comes back as a pickle on standard output.
"""

from __future__ import annotations

import pickle
import sys

#: Memory the child may use on top of what it starts with (as for CSV and Excel uploads).
MEMORY_BUDGET_MB = 1536


def _limit_memory() -> None:
    """Cap this process's address space (RLIMIT_AS): a hostile file costs the child only."""
    import os
    import resource

    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = current + MEMORY_BUDGET_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> int:
    """Read the .sav file named on the command line; write ``(status, frame, meta)`` pickled."""
    import os

    # Before pyarrow loads (pandas imports it): its default allocator, mimalloc, reserves a
    # gigabyte of address space, which the limit below counts; a 500 000-respondent file
    # then ran out of it while pickling its result (issue 14). See data/uploads/child_start.py.
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    import pyreadstat

    try:
        _limit_memory()
    except (OSError, ValueError):
        pass  # not Linux: the parent's time limit still holds

    try:
        frame, meta = pyreadstat.read_sav(sys.argv[1], apply_value_formats=False, user_missing=True)
        result = (
            "ok",
            frame,
            {
                "missing_ranges": meta.missing_ranges,
                "file_encoding": meta.file_encoding,
                "column_names_to_labels": meta.column_names_to_labels,
                "variable_value_labels": meta.variable_value_labels,
            },
        )
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, MemoryError) as err:
        result = ("error", str(err), None)  # type: ignore[assignment]  # one pickled tuple shape
    sys.stdout.buffer.write(pickle.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
