#!/usr/bin/env python3
"""Checks a dutycal iCalendar feed against the occurrences it was made from, with parsers
written by someone else: `icalendar` reads the feed, `recurring_ical_events` lists what a
calendar client would show over the range.

  ics_check.py FEED.ics OCCURRENCES.json

OCCURRENCES.json is what `dutycal expand --format json` prints for the same selection
(`from`, `to`, `occurrences`). Checks, per feed:
  - the bytes: CRLF line ends only; every physical line at most 75 octets and valid UTF-8
    on its own (a fold inside a character fails here);
  - the feed parses with `icalendar`, has no METHOD (a subscription feed), and every TZID
    has a VTIMEZONE;
  - the events recurring_ical_events yields between `from` and the day after `to` are
    exactly the JSON's occurrences, as (id, start, due + 1 day), where the id comes from
    the UID (`id(fromUID:)`: drop `@dutycal`, undo the `_XX` escapes); each event is
    all-day and its SUMMARY contains the occurrence's title.
Prints each problem on stderr and a closing line `ics: N passed, M failed` (N occurrences
matched; M problems); exits 1 on any problem, 2 on bad arguments.
"""
import collections
import datetime
import json
import re
import sys

import icalendar
import recurring_ical_events

UID_SUFFIX = "@dutycal"


def id_from_uid(uid):
    """Undoes ICalendarExporter.uid(for:): `_XX` is the byte 0xXX; `@dutycal` ends it."""
    if not uid.endswith(UID_SUFFIX):
        return None
    body = uid[: -len(UID_SUFFIX)]
    out = bytearray()
    index = 0
    while index < len(body):
        if body[index] == "_":
            try:
                out.append(int(body[index + 1 : index + 3], 16))
            except ValueError:
                return None
            index += 3
        else:
            out.extend(body[index].encode("ascii", "strict"))
            index += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None


def byte_problems(data):
    problems = []
    if b"\n" in data.replace(b"\r\n", b""):
        problems.append("bare LF")
    if b"\r" in data.replace(b"\r\n", b""):
        problems.append("bare CR")
    if not data.endswith(b"\r\n"):
        problems.append("the last line does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], 1):
        if len(line) > 75:
            problems.append(f"line {number} has {len(line)} octets (more than 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} is not valid UTF-8 on its own (folded inside a character?)")
    return problems


def as_date(value):
    if isinstance(value, datetime.datetime):
        return None
    return value


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    feed_path, json_path = argv[1], argv[2]
    data = open(feed_path, "rb").read()
    document = json.load(open(json_path, encoding="utf-8"))
    first = datetime.date.fromisoformat(document["from"])
    last = datetime.date.fromisoformat(document["to"])

    problems = byte_problems(data)
    calendar = icalendar.Calendar.from_ical(data)
    if "METHOD" in calendar:
        problems.append(f"a feed has METHOD:{calendar['METHOD']}; subscriptions must not")
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    for tzid in sorted(set(re.findall(rb";TZID=([^:;]+)", data.replace(b"\r\n ", b"")))):
        if tzid.decode() not in zones:
            problems.append(f"TZID={tzid.decode()} has no VTIMEZONE")

    expected = collections.Counter()
    titles = {}
    for occurrence in document["occurrences"]:
        start = datetime.date.fromisoformat(occurrence["start"])
        end = datetime.date.fromisoformat(occurrence["due"]) + datetime.timedelta(days=1)
        expected[(occurrence["id"], start, end)] += 1
        titles[occurrence["id"]] = occurrence["title"]

    found = collections.Counter()
    for event in recurring_ical_events.of(calendar).between(first, last + datetime.timedelta(days=1)):
        uid = str(event.get("UID"))
        identifier = id_from_uid(uid)
        start = as_date(event.decoded("DTSTART"))
        end = as_date(event.decoded("DTEND")) if "DTEND" in event else None
        summary = str(event.get("SUMMARY", ""))
        if identifier is None:
            problems.append(f"UID {uid} is not one dutycal makes")
            continue
        if start is None or end is None:
            problems.append(f"{identifier}: not an all-day event with DTSTART and DTEND dates")
            continue
        if "\ufffd" in summary or "\ufffd" in str(event.get("DESCRIPTION", "")):
            problems.append(f"{identifier}: U+FFFD in the text (broken UTF-8)")
        if identifier in titles and titles[identifier] not in summary:
            problems.append(f"{identifier}: SUMMARY {summary!r} does not contain the title {titles[identifier]!r}")
        found[(identifier, start, end)] += 1

    for key in sorted((expected - found).keys()):
        problems.append(f"missing from the feed: {key[0]} {key[1]}..{key[2]} (exclusive)")
    for key in sorted((found - expected).keys()):
        problems.append(f"not among the occurrences: {key[0]} {key[1]}..{key[2]} (exclusive)")

    passed = sum((expected & found).values())
    for problem in problems:
        print(f"{feed_path}: {problem}", file=sys.stderr)
    print(f"ics: {passed} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
