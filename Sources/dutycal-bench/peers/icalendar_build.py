#!/usr/bin/env python3
"""The python icalendar baseline of dutycal-bench's export-province workload.

usage: icalendar_build.py SOURCE-FOLDER OUT-FOLDER FILE...

Reads each named .ics file of SOURCE-FOLDER (written by DutyCalendar's exporter) to learn its
events' values, without timing that. Then, timed, builds the same calendars with python
icalendar (calendar properties, the VTIMEZONE, every VEVENT with its properties as values:
dates, text, categories, integers), serializes them with to_ical() and writes one file each
into OUT-FOLDER. Prints one JSON line: files, events, bytes and build_us (the timed part).
"""
import json
import os
import sys
import time

from icalendar import Calendar, Event


def values(component):
    """(name, value, params) of each property, decoded to Python values."""
    result = []
    for name, value in component.property_items(recursive=False):
        if name in ("BEGIN", "END"):
            continue
        decoded = value.dt if hasattr(value, "dt") else value
        if name == "CATEGORIES":
            decoded = [str(c) for c in value.cats]
        elif hasattr(value, "params") and not hasattr(value, "dt"):
            decoded = value
        result.append((name, decoded, dict(getattr(value, "params", {}) or {})))
    return result


def main():
    source, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    plans = []
    for name in names:
        with open(os.path.join(source, name), "rb") as f:
            calendar = Calendar.from_ical(f.read())
        timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
        events = [values(c) for c in calendar.subcomponents if c.name == "VEVENT"]
        plans.append((name, values(calendar), timezones, events))

    started = time.perf_counter()
    events = written = 0
    for name, properties, timezones, items in plans:
        calendar = Calendar()
        for key, value, params in properties:
            calendar.add(key, value, parameters=params or None)
        for timezone in timezones:
            calendar.add_component(timezone)
        for item in items:
            event = Event()
            for key, value, params in item:
                event.add(key, value, parameters=params or None)
            calendar.add_component(event)
            events += 1
        data = calendar.to_ical()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        written += len(data)
    elapsed = time.perf_counter() - started
    print(json.dumps({"files": len(plans), "events": events, "bytes": written, "build_us": round(elapsed * 1e6)}))


if __name__ == "__main__":
    main()
