#!/usr/bin/env python3
"""Runs `dutycal-bench --quick --json` (tiny sizes, one run) and checks what it prints.

usage: check_quick.py DUTYCAL-BENCH

Every workload must report its figures and no "failed" row; the expansion counts must be
non-zero (the benchmark itself stops with a failed row when DutyCore, libical-baseline and
python-dateutil disagree on a count or checksum). Timings are printed, never judged.
"""
import json
import subprocess
import sys

EXPECTED = {
    "expand-county": ["DutyCore: load, expand, assign", "dutycal expand --unit all --format json"],
    "expand-nation": ["DutyCore: shared expansion, streamed per unit", "libical-baseline", "python-dateutil"],
    "export-province": ["iCalendar feeds", "CSV feeds", "plain write loop", "python icalendar"],
    "remind-county": ["dutycal remind --dry-run", "hello-baseline"],
    "serve": [""],
}


def main():
    done = subprocess.run([sys.argv[1], "--quick", "--json"], capture_output=True, text=True, timeout=600)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    problems = []
    if done.returncode != 0:
        problems.append(f"dutycal-bench exited {done.returncode}:\n{done.stderr[-3000:]}")
    for row in rows:
        if row["figure"] == "failed":
            problems.append(f"{row['workload']} failed: {row['note']}")
        if "seconds" in row and not row["seconds"] > 0:
            problems.append(f"{row['workload']}: {row['figure']} has no time")
    for workload, figures in EXPECTED.items():
        mine = [row["figure"] for row in rows if row["workload"] == workload]
        for figure in figures:
            if not any(figure in name for name in mine):
                problems.append(f"{workload}: no figure '{figure}' among {mine}")
    nation = [row for row in rows if row["figure"].startswith("DutyCore: shared expansion")]
    if nation and " 0 occurrences" in nation[0]["note"]:
        problems.append("expand-nation counted no occurrences")
    for row in rows:
        print(f"{row['workload']:16} {row['figure'][:60]:60} {row.get('seconds', row.get('rps', ''))}")
    checked = sum(len(figures) for figures in EXPECTED.values())
    if problems:
        print("\n".join(problems), file=sys.stderr)
    print(f"bench: {max(0, checked - len(problems))} passed, {len(problems)} failed")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
