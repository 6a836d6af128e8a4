import Calendrical
import Foundation
import Libical
import Testing

/// Rules duties use, expanded over ten years by libical and by python-dateutil (an
/// independent implementation started by the test), must agree date for date.
@Suite struct DateutilCrossCheckTests {
    static let cases: [(rule: String, start: String)] = [
        ("FREQ=MONTHLY;BYMONTHDAY=10", "2016-01-01"),                       // 每月10日前
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1", "2016-01-01"),             // 每2个月
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "2016-01-01"),            // 每季度末
        ("FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1", "2016-06-01"),            // 每半年末
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20", "2016-01-01"),             // 每年12月20日
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "2015-01-01"),              // 次年2月底前
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "2016-01-01"),                       // 每月最后一天
        ("FREQ=WEEKLY;BYDAY=MO", "2016-01-01"),                             // 每周一
        ("FREQ=MONTHLY;BYDAY=-1FR", "2016-01-01"),                          // 每月最后一个星期五
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2016-01-01"),    // 每月最后一个工作日（不计节假日）
        ("FREQ=MONTHLY;BYDAY=2TU", "2016-01-01"),                           // 每月第二个星期二
        ("FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=25", "2016-01-01"),       // 每季度末月25日
        ("FREQ=MONTHLY;BYMONTHDAY=31", "2016-01-01"),                       // 只有31日的月份
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2016-01-01"),              // 闰年2月29日
        ("FREQ=YEARLY;BYYEARDAY=-1", "2016-01-01"),                         // 每年最后一天
        ("FREQ=DAILY;INTERVAL=10", "2016-01-03"),                           // 每10天
        ("FREQ=MONTHLY;COUNT=30;BYMONTHDAY=15", "2016-01-01"),              // COUNT
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20230630", "2016-01-04"),// UNTIL
        ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "2016-01-01"),                  // 每年第1周星期一
    ]

    @Test func libicalAgreesWithDateutilOverTenYears() throws {
        let windows = [("2016-01-01", "2025-12-31"), ("2021-03-15", "2030-03-14")]
        var requests: [[String: String]] = []
        var mine: [[String]] = []
        for (rule, start) in Self.cases {
            for (from, through) in windows {
                requests.append(["rule": rule, "start": start, "from": from, "through": through])
                let range = DateRange(from: CivilDate(from)!, through: CivilDate(through)!)!
                mine.append(try RecurrenceRule(rule).dates(anchoredAt: CivilDate(start)!, in: range).map(\.description))
            }
        }
        let input = try JSONSerialization.data(withJSONObject: ["cases": requests])
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let oracle = try runPython(root.appendingPathComponent("Tests/peers/rrule_oracle.py").path, stdin: input)
        let results = try #require((try JSONSerialization.jsonObject(with: oracle) as? [String: Any])?["results"] as? [[String]])
        #expect(results.count == mine.count)
        var compared = 0
        for (index, (expected, actual)) in zip(results, mine).enumerated() {
            let request = requests[index]
            #expect(actual == expected, "\(request["rule"]!) from \(request["start"]!) in \(request["from"]!)…\(request["through"]!): libical \(actual.count) dates, dateutil \(expected.count); first difference \(zip(actual, expected).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "in length")")
            compared += expected.count
        }
        #expect(compared > 3_000)  // the oracle really answered
    }

    func runPython(_ script: String, stdin: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleError(description: "python-dateutil oracle failed (run bash .ci/setup --test to install the test peers): \(message)")
        }
        return data
    }

    struct OracleError: Error, CustomStringConvertible { let description: String }
}
