#!/usr/bin/env python3
"""Checks delivered digests byte-wise and with Python's email package under policy.strict.

  mail_check.py FILE.eml [FILE.eml ...]

Per message: CRLF only; header bytes 7-bit; every line <= 998 octets; then parsed with
email.policy.strict: the headers decode, the structure is multipart/mixed [
multipart/alternative [text/plain, text/html], text/calendar; method=PUBLISH ], the calendar
parses with the `icalendar` package and has METHOD:PUBLISH and an ORGANIZER in every event.
Prints one JSON object per message (headers decoded, text, event summaries) on stdout,
problems on stderr, and a closing line `mail: N passed, M failed`; exits 1 on any failure.
"""
import email
import email.policy
import json
import sys

import icalendar


def check(path):
    problems = []
    data = open(path, "rb").read()
    if b"\n" in data.replace(b"\r\n", b""):
        problems.append("bare LF")
    if b"\r" in data.replace(b"\r\n", b""):
        problems.append("bare CR")
    head, _, _ = data.partition(b"\r\n\r\n")
    if any(b > 127 for b in head):
        problems.append("8-bit header bytes")
    for number, line in enumerate(data.split(b"\r\n"), 1):
        if len(line) > 998:
            problems.append(f"line {number} has {len(line)} octets")
    message = email.message_from_bytes(data, policy=email.policy.strict)
    summary = {"file": path}
    for name in ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Auto-Submitted"]:
        value = message[name]
        if value is None:
            problems.append(f"missing {name}")
        summary[name.lower()] = str(value) if value is not None else None
    if message["Auto-Submitted"] != "auto-generated":
        problems.append("Auto-Submitted is not auto-generated")
    structure = [part.get_content_type() for part in message.walk()]
    summary["structure"] = structure
    if structure != ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]:
        problems.append(f"unexpected structure {structure}")
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            summary["text"] = part.get_content()
        elif kind == "text/html":
            summary["html_length"] = len(part.get_content())
        elif kind == "text/calendar":
            if part.get_param("method") != "PUBLISH":
                problems.append("text/calendar without method=PUBLISH")
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            if str(calendar.get("METHOD")) != "PUBLISH":
                problems.append("calendar METHOD is not PUBLISH")
            events = [c for c in calendar.walk() if c.name == "VEVENT"]
            for event in events:
                if event.get("ORGANIZER") is None:
                    problems.append(f"event {event.get('UID')} has no ORGANIZER")
            summary["events"] = [str(e.get("SUMMARY")) for e in events]
            summary["uids"] = [str(e.get("UID")) for e in events]
    return summary, problems


def main():
    passed = failed = 0
    for path in sys.argv[1:]:
        try:
            summary, problems = check(path)
        except Exception as error:  # a parse failure under policy.strict is a failure
            summary, problems = {"file": path}, [f"cannot parse: {error!r}"]
        print(json.dumps(summary, ensure_ascii=False))
        if problems:
            failed += 1
            print(f"{path}: " + "; ".join(problems), file=sys.stderr)
        else:
            passed += 1
    print(f"mail: {passed} passed, {failed} failed", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
