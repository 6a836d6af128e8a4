/*
 * libical-baseline: the naive way to expand a national deployment, for dutycal-bench to
 * compare with. For every unit and every rule it runs libical's recurrence iterator from
 * the rule's DTSTART (jumping to the window with icalrecur_iterator_set_start, as the
 * Libical module does) and counts the dates inside the window.
 *
 * usage: libical-baseline RULES-FILE FROM THROUGH UNITS
 *   RULES-FILE  one rule per line: "YYYY-MM-DD RRULE" (the DTSTART, a space, the rule)
 *   FROM, THROUGH  the window, YYYY-MM-DD, both included
 *   UNITS       how many units (numbered 0 to UNITS-1) to expand the rules for
 *
 * Prints one JSON line: {"units":N,"rules":R,"count":C,"checksum":"HEX"}, where the
 * checksum (16 hex digits) is the 64-bit wrapping sum over every (unit, date) of
 * mix((unit << 32) | days since 1970-01-01),
 * the same function dutycal-bench and the python-dateutil baseline use, so the three can
 * be checked against each other.
 */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 1024

struct rule {
    struct icaltimetype start;
    char text[512];
};

/* splitmix64's finaliser: spreads (unit, date) over 64 bits. */
static uint64_t mix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Floating midnight of a date, as the Libical module gives the iterator. */
static int parse_date(const char *text, struct icaltimetype *out) {
    int y, m, d;
    if (sscanf(text, "%4d-%2d-%2d", &y, &m, &d) != 3) return 0;
    *out = icaltime_null_time();
    out->year = y;
    out->month = m;
    out->day = d;
    return 1;
}

static long ymd(struct icaltimetype t) { return (long)t.year * 10000 + t.month * 100 + t.day; }

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil, as CivilDate.dayNumber). */
static long day_number(struct icaltimetype t) {
    long y = t.month <= 2 ? t.year - 1 : t.year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = t.month > 2 ? t.month - 3 : t.month + 9;
    long doy = (153 * mp + 2) / 5 + t.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: libical-baseline RULES-FILE FROM THROUGH UNITS\n");
        return 64;
    }
    struct icaltimetype from, through;
    if (!parse_date(argv[2], &from) || !parse_date(argv[3], &through)) {
        fprintf(stderr, "libical-baseline: FROM and THROUGH are YYYY-MM-DD\n");
        return 64;
    }
    long units = strtol(argv[4], NULL, 10);
    FILE *file = fopen(argv[1], "r");
    if (!file) {
        perror(argv[1]);
        return 66;
    }
    static struct rule rules[MAX_RULES];
    int count = 0;
    char line[600];
    while (fgets(line, sizeof line, file) && count < MAX_RULES) {
        line[strcspn(line, "\r\n")] = 0;
        char *space = strchr(line, ' ');
        if (!space || !parse_date(line, &rules[count].start)) continue;
        snprintf(rules[count].text, sizeof rules[count].text, "%s", space + 1);
        count++;
    }
    fclose(file);

    long from_key = ymd(from), through_key = ymd(through);
    uint64_t occurrences = 0, checksum = 0;
    for (long unit = 0; unit < units; unit++) {
        for (int r = 0; r < count; r++) {
            struct icalrecurrencetype recurrence = icalrecurrencetype_from_string(rules[r].text);
            if (recurrence.freq == ICAL_NO_RECURRENCE) {
                fprintf(stderr, "libical-baseline: libical rejects '%s'\n", rules[r].text);
                return 65;
            }
            icalrecur_iterator *iterator = icalrecur_iterator_new(recurrence, rules[r].start);
            if (!iterator) return 70;
            if (recurrence.count == 0 && icaltime_compare(from, rules[r].start) > 0)
                icalrecur_iterator_set_start(iterator, from);
            long start_key = ymd(rules[r].start);
            for (struct icaltimetype next = icalrecur_iterator_next(iterator); !icaltime_is_null_time(next);
                 next = icalrecur_iterator_next(iterator)) {
                long key = ymd(next);
                if (key > through_key) break;
                if (key < from_key || key < start_key) continue;
                occurrences++;
                checksum += mix(((uint64_t)unit << 32) | (uint64_t)day_number(next));
            }
            icalrecur_iterator_free(iterator);
            free(recurrence.rscale);
        }
    }
    printf("{\"units\":%ld,\"rules\":%d,\"count\":%llu,\"checksum\":\"%016llx\"}\n", units, count,
           (unsigned long long)occurrences, (unsigned long long)checksum);
    return 0;
}
