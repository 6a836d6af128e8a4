#!/usr/bin/env python3
"""The python-dateutil baseline of dutycal-bench's expand-nation workload.

usage: rrule_count.py RULES-FILE FROM THROUGH UNITS

RULES-FILE holds one rule per line, "YYYY-MM-DD RRULE" (DTSTART, a space, the rule). For
every unit (numbered 0 to UNITS-1) and every rule it builds dateutil's rrule and counts the
dates in FROM..THROUGH (both included), folding each (unit, date) into the same checksum
libical-baseline and dutycal-bench compute: the wrapping 64-bit sum of
mix(unit << 32 | days since 1970-01-01). Prints one JSON line.
"""
import json
import sys
from datetime import datetime

from dateutil.rrule import rrulestr

MASK = (1 << 64) - 1
EPOCH = datetime(1970, 1, 1)


def mix(x):
    """splitmix64's finaliser, as in libical-baseline."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK
    x ^= x >> 31
    return x


def day(text):
    return datetime.strptime(text, "%Y-%m-%d")


def main():
    path, first, last, units = sys.argv[1], day(sys.argv[2]), day(sys.argv[3]), int(sys.argv[4])
    rules = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            start, _, rule = line.strip().partition(" ")
            if rule:
                rules.append((day(start), rule))
    count = checksum = 0
    for unit in range(units):
        for start, rule in rules:
            for when in rrulestr(rule, dtstart=start).between(first, last, inc=True):
                count += 1
                checksum = (checksum + mix((unit << 32) | (when - EPOCH).days)) & MASK
    print(json.dumps({"units": units, "rules": len(rules), "count": count, "checksum": "%016x" % checksum}))


if __name__ == "__main__":
    main()
