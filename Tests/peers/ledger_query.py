#!/usr/bin/env python3
"""Reads a DutyCalendar ledger with Python's own sqlite3, independently of the Swift code.

  ledger_query.py LEDGER SQL

Opens the file read-only and prints the rows of SQL as a JSON list of objects (bytes as
UTF-8 text with replacement).
"""
import json
import sqlite3
import sys


def main():
    path, sql = sys.argv[1], sys.argv[2]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    rows = []
    for row in connection.execute(sql):
        item = {}
        for key in row.keys():
            value = row[key]
            item[key] = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        rows.append(item)
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
