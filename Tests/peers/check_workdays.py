#!/usr/bin/env python3
"""Cross-check Calendars/workdays.yaml against the `chinesecalendar` package.

For every day of 2024–2026 it compares whether the day is a working day, and which holiday it
is, between the YAML file (read here independently of the Swift loader) and
`chinese_calendar`. It prints one line per difference and ends with
`workdays: N passed, M failed`; it exits 1 on any difference.
"""

import datetime
import pathlib
import sys

import chinese_calendar
import yaml

YEARS = range(2024, 2027)

# chinese_calendar's English holiday names, in the YAML file's Chinese.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}
KNOWN_NAMES = set(NAMES.values())

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
WORKDAYS = ROOT / "Calendars" / "workdays.yaml"


def as_date(value):
    """A YAML date: PyYAML reads unquoted YYYY-MM-DD as a date, quoted as a string."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def load(path):
    """Map each listed day to ('holiday', name) or ('workday', name); report bad entries."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    days, problems = {}, []
    for entry in data["years"]:
        year = entry["year"]
        for holiday in entry.get("holidays") or []:
            name = holiday["name"]
            start, end = as_date(holiday["from"]), as_date(holiday["to"])
            if name not in KNOWN_NAMES:
                problems.append(f"{year}: unknown holiday name {name}")
            if end < start:
                problems.append(f"{year}: {name} ends {end} before it starts {start}")
            day = start
            while day <= end:
                if day in days:
                    problems.append(f"{day}: listed twice ({days[day][1]}, {name})")
                days[day] = ("holiday", name)
                day += datetime.timedelta(days=1)
        for workday in entry.get("workdays") or []:
            day, name = as_date(workday["date"]), workday["for"]
            if name not in KNOWN_NAMES:
                problems.append(f"{day}: make-up day for unknown holiday {name}")
            if day.weekday() < 5:
                problems.append(f"{day}: make-up working day is not a weekend day")
            if day in days:
                problems.append(f"{day}: listed twice ({days[day][1]}, make-up for {name})")
            days[day] = ("workday", name)
    return days, problems


def expected_from_yaml(days, day):
    """(is working day, holiday name or None) according to the YAML file."""
    kind, name = days.get(day, (None, None))
    if kind == "holiday":
        return False, name
    if kind == "workday":
        return True, None
    return day.weekday() < 5, None


def expected_from_package(day):
    """(is working day, holiday name or None) according to chinese_calendar."""
    working = chinese_calendar.is_workday(day)
    _, name = chinese_calendar.get_holiday_detail(day)
    if name is None or working:
        return working, None
    return working, NAMES.get(name, name)


def main():
    days, problems = load(WORKDAYS)
    for problem in problems:
        print(f"workdays.yaml: {problem}")
    passed = failed = 0
    for year in YEARS:
        day = datetime.date(year, 1, 1)
        while day.year == year:
            mine, theirs = expected_from_yaml(days, day), expected_from_package(day)
            if mine == theirs:
                passed += 1
            else:
                failed += 1
                print(f"{day}: workdays.yaml says {describe(mine)}, chinese_calendar says {describe(theirs)}")
            day += datetime.timedelta(days=1)
    # A make-up day must be worked for the holiday the package names for it.
    for day, (kind, name) in sorted(days.items()):
        if kind == "workday" and day.year in YEARS:
            _, theirs = chinese_calendar.get_holiday_detail(day)
            if chinese_calendar.is_in_lieu(day) or NAMES.get(theirs) != name:
                failed += 1
                print(f"{day}: make-up day for {name}, chinese_calendar says {theirs}")
    failed += len(problems)
    print(f"workdays: {passed} passed, {failed} failed")
    return 1 if failed else 0


def describe(state):
    working, name = state
    return "working day" if working else f"day off ({name})" if name else "day off (weekend)"


if __name__ == "__main__":
    sys.exit(main())
