#!/usr/bin/env python3
"""A subscribing calendar client, as far as a test needs one: fetches a feed over HTTP the
way Google or Thunderbird refresh a subscription (If-None-Match / If-Modified-Since from its
last fetch, gzip accepted), keeps the last copy on a 304, parses it with `icalendar` and
reports one occurrence's event.

  feed_subscriber.py URL STATE_DIR OCCURRENCE_ID

STATE_DIR holds the last body and validators between runs. Prints one JSON line:
{"http": 200 or 304, "etag": ..., "events": N, "summary": ..., "status": ..., "description": ...}
for the event whose UID is the occurrence's (ICalendarExporter.uid(for:)); exits 1 when the
feed does not parse or has no such event, 2 on bad arguments.
"""
import gzip
import json
import os
import sys
import urllib.error
import urllib.request

import icalendar


def uid_for(occurrence_id):
    """ICalendarExporter.uid(for:): bytes outside [A-Za-z0-9@.-] become _XX, then @dutycal."""
    out = []
    for byte in occurrence_id.encode("utf-8"):
        char = chr(byte)
        if char.isascii() and (char.isalnum() or char in "@.-"):
            out.append(char)
        else:
            out.append("_%02X" % byte)
    return "".join(out) + "@dutycal"


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    url, state, occurrence = sys.argv[1:]
    os.makedirs(state, exist_ok=True)
    meta_path, body_path = os.path.join(state, "meta.json"), os.path.join(state, "body.ics")
    meta = json.load(open(meta_path)) if os.path.exists(meta_path) else {}
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", "User-Agent": "feed_subscriber.py"})
    if meta.get("etag"):
        request.add_header("If-None-Match", meta["etag"])
    if meta.get("last_modified"):
        request.add_header("If-Modified-Since", meta["last_modified"])
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if not response.headers.get("Content-Type", "").startswith("text/calendar"):
                print("not a calendar: " + response.headers.get("Content-Type", ""), file=sys.stderr)
                return 1
            meta = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
            open(body_path, "wb").write(body)
            json.dump(meta, open(meta_path, "w"))
    except urllib.error.HTTPError as error:
        if error.code != 304:
            print("HTTP %d from %s" % (error.code, url), file=sys.stderr)
            return 1
        status = 304
        body = open(body_path, "rb").read()
    calendar = icalendar.Calendar.from_ical(body.decode("utf-8"))
    events = list(calendar.walk("VEVENT"))
    wanted = uid_for(occurrence)
    found = [event for event in events if str(event.get("UID")) == wanted]
    if not found:
        print("no event with UID %s among %d events" % (wanted, len(events)), file=sys.stderr)
        return 1
    event = found[0]
    print(json.dumps({"http": status, "etag": meta.get("etag"), "events": len(events), "summary": str(event.get("SUMMARY")),
                      "status": str(event.get("STATUS")), "description": str(event.get("DESCRIPTION"))}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
