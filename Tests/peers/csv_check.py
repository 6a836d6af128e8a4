#!/usr/bin/env python3
"""Checks a CSV export with Python's csv module against `dutycal expand --format json`.

  csv_check.py FILE.csv ENCODING EXPAND.json      (ENCODING: utf-8-sig or gb18030)

Decodes strictly; for UTF-8 requires the byte-order mark; requires CRLF record ends, the
Chinese header, and one row per occurrence equal to the JSON (id, body, dates, adjustment,
document, clause, quote). Prints `csv: N passed, M failed`; exits 1 on a mismatch.
"""
import csv
import io
import json
import sys

HEADER = ["编号", "事项", "责任主体", "层级", "周期", "开始日期", "截止日期", "调整说明", "依据文件", "条款", "原文"]


def neutralised(cell):
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def main():
    path, encoding, expand = sys.argv[1:4]
    raw = open(path, "rb").read()
    problems = []
    if encoding == "utf-8-sig" and not raw.startswith(b"\xef\xbb\xbf"):
        problems.append("no UTF-8 byte-order mark")
    text = raw.decode(encoding, errors="strict")
    if "\n" in text.replace("\r\n", "") and "\r\n" not in text:
        problems.append("records do not end with CRLF")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if rows[0] != HEADER:
        problems.append(f"header {rows[0]}")
    occurrences = json.load(open(expand))["occurrences"]
    if len(rows) - 1 != len(occurrences):
        problems.append(f"{len(rows) - 1} rows for {len(occurrences)} occurrences")
    passed = 0
    for row, o in zip(rows[1:], occurrences):
        owner = " ".join(x for x in [o.get("unit_name"), o.get("body_name")] if x) or o["body"]
        expected = [o["id"], None, owner, "、".join(o["levels"]), o["period_label"], o["start"], o["due"],
                    o.get("adjustment") or "", o["document_title"], o["clause"], o["quote"]]
        mismatched = [HEADER[i] for i, value in enumerate(expected) if value is not None and row[i] != neutralised(value)]
        if not row[1].startswith(neutralised(o["title"])):
            mismatched.append("事项")
        if mismatched:
            problems.append(f"{o['id']}: {mismatched}")
        else:
            passed += 1
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"csv: {passed} passed, {len(problems)} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
