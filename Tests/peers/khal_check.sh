#!/usr/bin/env bash
# Imports a dutycal iCalendar feed into khal (Debian package `khal`) and lists its events.
#
#   khal_check.sh FEED.ics FROM TO [EXPECTED]
#
# FROM and TO are dates (YYYY-MM-DD, both included). Uses a temporary khal configuration,
# vdir and database, so the user's khal set-up is never read or changed. Prints one line per
# event, "START END SUMMARY" (END is the last day, inclusive, as khal shows it), then
# "khal: N imported, M listed". Exits 1 when khal fails to import the feed, when it stores
# fewer events than the feed has VEVENTs, or when EXPECTED is given and M differs from it;
# 2 on bad arguments; 77 when khal is not installed (apt-get install -y khal).
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
  echo "usage: khal_check.sh FEED.ics FROM TO [EXPECTED]" >&2
  exit 2
fi
feed=$1 from=$2 to=$3 expected=${4:-}
[ -r "$feed" ] || { echo "khal_check: cannot read $feed" >&2; exit 2; }
command -v khal >/dev/null 2>&1 || { echo "khal_check: khal is not installed (apt-get install -y khal)" >&2; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/vdir"
cat > "$work/config" <<EOF
[calendars]
[[dutycal]]
path = $work/vdir
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Asia/Shanghai
default_timezone = Asia/Shanghai
[default]
default_calendar = dutycal
[sqlite]
path = $work/khal.db
EOF
export HOME="$work" XDG_CONFIG_HOME="$work" XDG_DATA_HOME="$work"

if ! khal -c "$work/config" import --batch -a dutycal "$feed" > "$work/import.log" 2>&1; then
  tail -n 5 "$work/import.log" >&2
  echo "khal_check: khal could not import $feed" >&2
  exit 1
fi

events=$(grep -c '^BEGIN:VEVENT' "$feed" || true)
imported=$(find "$work/vdir" -name '*.ics' | wc -l)
khal -c "$work/config" list --once --day-format "" --format "{start-date} {end-date} {title}" "$from" "$to" \
  > "$work/list.txt" 2> "$work/list.log" || { cat "$work/list.log" >&2; echo "khal_check: khal list failed" >&2; exit 1; }
sed '/^$/d' "$work/list.txt" > "$work/listed.txt"
cat "$work/listed.txt"
listed=$(wc -l < "$work/listed.txt")
echo "khal: $imported imported, $listed listed"

status=0
if [ "$imported" -ne "$events" ]; then
  echo "khal_check: the feed has $events events but khal stored $imported" >&2
  status=1
fi
if [ -n "$expected" ] && [ "$listed" -ne "$expected" ]; then
  echo "khal_check: expected $expected events from $from to $to, khal listed $listed" >&2
  status=1
fi
exit $status
