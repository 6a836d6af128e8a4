#!/usr/bin/env python3
"""Independent oracle for recurrence rules: python-dateutil's rrule.

Reads JSON from stdin: {"cases": [{"rule": "FREQ=...", "start": "YYYY-MM-DD",
"from": "YYYY-MM-DD", "through": "YYYY-MM-DD"}, ...]} and prints, for each case, the
dates dateutil yields from the anchor `start` that fall in [from, through]:
{"results": [["YYYY-MM-DD", ...], ...]}.
"""
import json
import sys
from datetime import date, datetime

from dateutil.rrule import rrulestr


def expand(case):
    start = datetime.combine(date.fromisoformat(case["start"]), datetime.min.time())
    low = datetime.combine(date.fromisoformat(case["from"]), datetime.min.time())
    high = datetime.combine(date.fromisoformat(case["through"]), datetime.min.time())
    rule = rrulestr(case["rule"], dtstart=start)
    return [d.date().isoformat() for d in rule.between(low, high, inc=True)]


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump({"results": [expand(c) for c in cases]}, sys.stdout)


if __name__ == "__main__":
    main()
