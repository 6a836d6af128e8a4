#!/usr/bin/env python3
"""Reads a CalDAV collection back with a REPORT (calendar-query) and compares it with the
occurrences `dutycal expand --format json` prints.

  caldav_check.py COLLECTION_URL USER PASSWORD EXPAND.json

Each object must hold one VEVENT whose UID maps back to an occurrence id (the `_XX` escapes
of dutycal's UIDs undone), with DTSTART = start and DTEND = due + 1 day, and no METHOD; the
set of ids must equal the JSON's. Prints `caldav: N passed, M failed`; exits 1 on a mismatch.
"""
import base64
import json
import re
import sys
import urllib.request
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import icalendar

QUERY = b"""<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter>
</c:calendar-query>"""


def occurrence_id(uid):
    assert uid.endswith("@dutycal"), uid
    raw = uid[: -len("@dutycal")]
    return re.sub(rb"_([0-9A-F]{2})", lambda m: bytes([int(m.group(1), 16)]), raw.encode()).decode()


def main():
    url, user, password, expand = sys.argv[1:5]
    request = urllib.request.Request(url, data=QUERY, method="REPORT")
    request.add_header("Depth", "1")
    request.add_header("Content-Type", "application/xml; charset=utf-8")
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    body = urllib.request.urlopen(request).read()
    ns = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav"}
    found = {}
    problems = []
    for response in ET.fromstring(body).findall("d:response", ns):
        data = response.find(".//c:calendar-data", ns)
        if data is None or not data.text:
            continue
        calendar = icalendar.Calendar.from_ical(data.text)
        if calendar.get("METHOD") is not None:
            problems.append("an object has METHOD")
        events = [c for c in calendar.walk() if c.name == "VEVENT"]
        if len(events) != 1:
            problems.append(f"an object holds {len(events)} events")
            continue
        event = events[0]
        found[occurrence_id(str(event["UID"]))] = (event["DTSTART"].dt, event["DTEND"].dt)
    expected = {o["id"]: (date.fromisoformat(o["start"]), date.fromisoformat(o["due"]) + timedelta(days=1))
                for o in json.load(open(expand))["occurrences"]}
    for key in sorted(set(found) | set(expected)):
        if found.get(key) != expected.get(key):
            problems.append(f"{key}: server {found.get(key)} expand {expected.get(key)}")
    passed = len(set(found) & set(expected)) - len([p for p in problems if ":" in p])
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"caldav: {max(passed, 0)} passed, {len(problems)} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
