import Calendrical
import Libical
import Testing

private func date(_ text: String) -> CivilDate { CivilDate(text)! }
private func range(_ from: String, _ through: String) -> DateRange { DateRange(from: date(from), through: date(through))! }
private func expand(_ rule: String, _ start: String, _ from: String, _ through: String) throws -> [String] {
    try RecurrenceRule(rule).dates(anchoredAt: date(start), in: range(from, through)).map(\.description)
}

/// Examples from RFC 5545 section 3.8.5.3 that fit date-based duties (times dropped).
@Suite struct RFC5545Examples {
    @Test func monthlyOnFirstFridayForTenOccurrences() throws {
        #expect(try expand("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "1997-09-05", "1997-01-01", "1999-12-31") == [
            "1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05", "1998-01-02",
            "1998-02-06", "1998-03-06", "1998-04-03", "1998-05-01", "1998-06-05",
        ])
    }

    @Test func everyOtherMonthFirstAndLastSunday() throws {
        #expect(try expand("FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "1997-09-07", "1997-01-01", "1999-12-31") == [
            "1997-09-07", "1997-09-28", "1997-11-02", "1997-11-30", "1998-01-04",
            "1998-01-25", "1998-03-01", "1998-03-29", "1998-05-03", "1998-05-31",
        ])
    }

    @Test func thirdToLastDayOfMonth() throws {
        #expect(try expand("FREQ=MONTHLY;BYMONTHDAY=-3", "1997-09-28", "1997-09-01", "1998-02-28") == [
            "1997-09-28", "1997-10-29", "1997-11-28", "1997-12-29", "1998-01-29", "1998-02-26",
        ])
    }

    @Test func secondToLastMondayOfMonthForSixMonths() throws {
        #expect(try expand("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "1997-09-22", "1997-01-01", "1999-12-31") == [
            "1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16",
        ])
    }

    @Test func lastWorkdayOfMonthWithSetPos() throws {
        #expect(try expand("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "1997-09-30", "1997-09-01", "1998-03-31") == [
            "1997-09-30", "1997-10-31", "1997-11-28", "1997-12-31", "1998-01-30", "1998-02-27", "1998-03-31",
        ])
    }

    @Test func thirdInstanceOfTuesdayWednesdayThursdayForThreeMonths() throws {
        #expect(try expand("FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "1997-09-04", "1997-01-01", "1999-12-31") == [
            "1997-09-04", "1997-10-07", "1997-11-06",
        ])
    }

    @Test func yearlyInJuneAndJulyForTen() throws {
        #expect(try expand("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "1997-06-10", "1997-01-01", "2005-12-31") == [
            "1997-06-10", "1997-07-10", "1998-06-10", "1998-07-10", "1999-06-10",
            "1999-07-10", "2000-06-10", "2000-07-10", "2001-06-10", "2001-07-10",
        ])
    }

    @Test func everyFridayThe13th() throws {
        #expect(try expand("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "1997-09-02", "1997-09-01", "2000-10-31") == [
            "1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13",
        ])
    }

    @Test func usPresidentialElectionDay() throws {
        #expect(try expand("FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", "1996-11-05", "1996-01-01", "2004-12-31") == [
            "1996-11-05", "2000-11-07", "2004-11-02",
        ])
    }

    @Test func everyOtherWeekOnMondayWednesdayFridayUntil() throws {
        #expect(try expand("FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224;WKST=SU;BYDAY=MO,WE,FR", "1997-09-01", "1997-09-01", "1997-12-31") == [
            "1997-09-01", "1997-09-03", "1997-09-05", "1997-09-15", "1997-09-17", "1997-09-19",
            "1997-09-29", "1997-10-01", "1997-10-03", "1997-10-13", "1997-10-15", "1997-10-17",
            "1997-10-27", "1997-10-29", "1997-10-31", "1997-11-10", "1997-11-12", "1997-11-14",
            "1997-11-24", "1997-11-26", "1997-11-28", "1997-12-08", "1997-12-10", "1997-12-12",
            "1997-12-22", "1997-12-24",  // a DATE UNTIL is inclusive; the RFC's 09:00 start ends on the 22nd
        ])
    }

    @Test func dailyForTenOccurrences() throws {
        #expect(try expand("FREQ=DAILY;COUNT=10", "1997-09-02", "1997-01-01", "1997-12-31").count == 10)
    }

    @Test func invalidDateIsSkipped() throws {
        #expect(try expand("FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", "2007-01-15", "2007-01-01", "2007-12-31") == [
            "2007-01-15", "2007-01-30", "2007-02-15", "2007-03-15", "2007-03-30",
        ])
    }
}

@Suite struct Expansion {
    @Test func everyTwoMonthsStaysAlignedWhenTheRangeStartsLater() throws {
        // The iterator starts at the range, but INTERVAL=2 keeps counting from the anchor.
        #expect(try expand("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1", "2016-01-01", "2026-02-01", "2026-12-31") == [
            "2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01", "2026-11-01",
        ])
    }

    @Test func anchorThatDoesNotMatchIsNotAnOccurrence() throws {
        #expect(try expand("FREQ=MONTHLY;BYMONTHDAY=10", "2026-01-01", "2026-01-01", "2026-03-31") == [
            "2026-01-10", "2026-02-10", "2026-03-10",
        ])
    }

    @Test func exdatesAndRdates() throws {
        let rule = try RecurrenceRule("FREQ=MONTHLY;BYMONTHDAY=10")
        let dates = rule.dates(anchoredAt: date("2026-01-01"), in: range("2026-01-01", "2026-04-30"),
                               adding: [date("2026-02-20"), date("2027-01-01")], removing: [date("2026-03-10")])
        #expect(dates.map(\.description) == ["2026-01-10", "2026-02-10", "2026-02-20", "2026-04-10"])
    }

    @Test func countIsCountedFromTheAnchorNotTheRange() throws {
        #expect(try expand("FREQ=YEARLY;COUNT=3;BYMONTH=12;BYMONTHDAY=20", "2024-01-01", "2025-01-01", "2030-12-31") == [
            "2025-12-20", "2026-12-20",
        ])
    }

    @Test func rangeBeforeTheAnchorIsEmpty() throws {
        #expect(try expand("FREQ=DAILY", "2026-01-01", "2025-01-01", "2025-12-31").isEmpty)
    }

    @Test func lastDayOfFebruaryInLeapYears() throws {
        #expect(try expand("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "2023-01-01", "2023-01-01", "2025-12-31") == [
            "2023-02-28", "2024-02-29", "2025-02-28",
        ])
    }
}

@Suite struct RuleValidation {
    @Test(arguments: [
        ("FREQ=QUATERLY", "FREQ 'QUATERLY' is not a frequency: expected DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("BYMONTHDAY=10", "FREQ is missing"),
        ("FREQ=MONTHLY;BYMONTHDAI=10", "unknown part 'BYMONTHDAI' (did you mean BYMONTHDAY?)"),
        ("FREQ=MONTHLY;COUNT=2;UNTIL=20260101", "COUNT and UNTIL cannot both be given"),
        ("FREQ=MONTHLY;;", "is not NAME=VALUE"),
        ("FREQ=MONTHLY; BYMONTHDAY=10", "ASCII with no spaces"),
        ("FREQ=MONTHLY;FREQ=YEARLY", "'FREQ' appears twice"),
    ])
    func rejects(rule: String, problem: String) {
        #expect {
            _ = try RecurrenceRule(rule)
        } throws: { error in
            "\(error)".contains(problem) && "\(error)".contains(rule)
        }
    }

    @Test func readsFrequencyIntervalAndCount() throws {
        let rule = try RecurrenceRule("RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=4;BYMONTHDAY=1")
        #expect(rule.frequency == .monthly)
        #expect(rule.interval == 2)
        #expect(rule.count == 4)
        #expect(!rule.hasUntil)
        #expect(!rule.hasMultipleDatesPerInterval)
        #expect(try RecurrenceRule("FREQ=YEARLY;BYMONTH=6,12").hasMultipleDatesPerInterval)
    }
}
