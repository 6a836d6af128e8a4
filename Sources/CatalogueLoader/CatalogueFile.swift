import Calendrical
import Diagnostics
import DutyCore
import Libical
import Yams

/// What one catalogue file holds after reading: its document and duties, plus where each
/// duty stands in the file (for cross-file checks that report locations).
struct CatalogueFile {
    var document: Document?
    var duties: [Duty] = []
    var dutyLocations: [DutyID: SourceLocation] = [:]
    /// Every duty id read, valid duty or not, where it first stands: duplicates are reported
    /// even when one of the copies has other problems.
    var seenIDs: [DutyID: SourceLocation] = [:]
    /// Ids that stand twice in this file, with the second place.
    var repeatedIDs: [(DutyID, SourceLocation)] = []
    /// Relative anchors to check once every file is read: (duty, target, location).
    var anchors: [(DutyID, DutyID, SourceLocation)] = []

    static let topKeys = ["document", "defaults", "duties"]
    static let documentKeys = ["id", "title", "issuer", "region", "year", "seed"]
    static let defaultKeys = ["rolling", "lead_days"]
    static let dutyKeys = ["id", "title", "title_en", "body", "levels", "clause", "quote", "note", "tags",
                           "lead_days", "rolling", "seed", "schedule", "schedules"]
    static let entryOverrideKeys = ["levels", "body", "clause", "quote", "note"]

    /// Reads a catalogue file's root node.
    static func read(_ root: Node, reader: inout YAMLReader) -> CatalogueFile {
        var file = CatalogueFile()
        guard let top = reader.mapping(root, "a catalogue file", allowed: topKeys) else { return file }
        guard let documentNode = reader.required(top, "document", in: "the catalogue file", at: root),
              let doc = reader.mapping(documentNode, "document", allowed: documentKeys) else { return file }
        let idNode = reader.required(doc, "id", in: "document", at: documentNode)
        let id = reader.string(idNode, "document id")
        if let id, !DocumentID.isValid(id) {
            reader.error("document id '\(id)' must be ASCII a-z, 0-9 and '-'", at: idNode)
        }
        let title = reader.string(reader.required(doc, "title", in: "document", at: documentNode), "document title")
        let seed = reader.string(reader.required(doc, "seed", in: "document", at: documentNode), "document seed")
        let year = reader.int(doc["year"], "document year", range: 1949...2100)
        guard let id, let title, let seed else { return file }
        let document = Document(id: DocumentID(id), title: title, issuer: reader.string(doc["issuer"], "issuer"),
                                region: reader.string(doc["region"], "region"), year: year, seed: seed)
        file.document = document

        var defaults = Defaults()
        if let map = reader.mapping(top["defaults"], "defaults", allowed: defaultKeys) {
            defaults.rolling = readRolling(map["rolling"], &reader) ?? defaults.rolling
            defaults.leadDays = readLeadDays(map["lead_days"], &reader) ?? defaults.leadDays
        }
        guard let dutiesNode = reader.required(top, "duties", in: "the catalogue file", at: root) else { return file }
        for node in reader.sequence(dutiesNode, "duties") ?? [] {
            if let duty = readDuty(node, document: document, defaults: defaults, file: &file, reader: &reader) {
                file.duties.append(duty)
                file.dutyLocations[duty.id] = reader.location(node)
            }
        }
        return file
    }

    struct Defaults {
        var rolling: RollingPolicy = .next
        var leadDays: [Int] = [7, 1]
    }

    static func readRolling(_ node: Node?, _ reader: inout YAMLReader) -> RollingPolicy? {
        reader.choice(node, "rolling", RollingPolicy.allCases.map(\.rawValue), RollingPolicy.init(rawValue:))
    }

    static func readLeadDays(_ node: Node?, _ reader: inout YAMLReader) -> [Int]? {
        guard let items = reader.sequence(node, "lead_days") else { return nil }
        return items.compactMap { reader.int($0, "a lead day", range: 0...366) }
    }

    static func readDuty(_ node: Node, document: Document, defaults: Defaults, file: inout CatalogueFile,
                         reader: inout YAMLReader) -> Duty? {
        guard let map = reader.mapping(node, "a duty", allowed: dutyKeys) else { return nil }
        let idNode = reader.required(map, "id", in: "a duty", at: node)
        guard let idText = reader.string(idNode, "duty id") else { return nil }
        let what = "duty '\(idText)'"
        if !DutyID.isValid(idText) {
            reader.error("\(what): id must be ASCII a-z, 0-9 and '-' (it goes into calendar UIDs)", at: idNode)
        }
        let id = DutyID(idText)
        if file.seenIDs[id] == nil { file.seenIDs[id] = reader.location(node) } else { file.repeatedIDs.append((id, reader.location(node))) }
        let title = reader.string(reader.required(map, "title", in: what, at: node), "\(what) title")
        let body = reader.string(reader.required(map, "body", in: what, at: node), "\(what) body")
        let levels = readLevels(map["levels"], what, &reader)
        let clause = reader.string(map["clause"], "\(what) clause")
        let quote = readQuote(map["quote"], what, &reader)
        let seed = reader.string(map["seed"], "\(what) seed") ?? document.seed
        let note = reader.string(map["note"], "\(what) note")
        let tags = reader.strings(map["tags"], "\(what) tags") ?? []
        let leadDays = readLeadDays(map["lead_days"], &reader) ?? defaults.leadDays
        let rolling = readRolling(map["rolling"], &reader) ?? defaults.rolling

        var entries: [ScheduleEntry] = []
        switch (map["schedule"], map["schedules"]) {
        case (nil, nil):
            reader.error("\(what) has no 'schedule' (or 'schedules' per level)", at: node)
        case (.some, .some):
            reader.error("\(what) has both 'schedule' and 'schedules': keep one", at: map["schedules"])
        case (let single?, nil):
            if map["levels"] == nil { reader.error("\(what) is missing 'levels'", at: node) }
            if clause == nil, map["clause"] == nil { reader.error("\(what) is missing 'clause'", at: node) }
            if quote == nil, map["quote"] == nil { reader.error("\(what) is missing 'quote'", at: node) }
            let schedule = readSchedule(single, what: what, allowedExtra: [], id: id, file: &file, reader: &reader)
            if let levels, let body, let clause, let quote, let schedule {
                entries.append(ScheduleEntry(levels: levels, body: body,
                                             citation: Citation(document: document.id, clause: clause, quote: quote, seed: seed),
                                             note: note, schedule: schedule))
            }
        case (nil, let list?):
            var levelOwner: [Level: Int] = [:]
            for (index, entryNode) in (reader.sequence(list, "\(what) schedules") ?? []).enumerated() {
                guard let entryMap = reader.mapping(entryNode, "a schedule of \(what)",
                                                    allowed: entryOverrideKeys + ScheduleKind.allCases.map(\.rawValue))
                else { continue }
                let entryLevels = readLevels(entryMap["levels"], "schedule \(index + 1) of \(what)", &reader) ?? levels
                let entryBody = reader.string(entryMap["body"], "\(what) body") ?? body
                let entryClause = reader.string(entryMap["clause"], "\(what) clause") ?? clause
                let entryQuote = readQuote(entryMap["quote"], what, &reader) ?? quote
                let entryNote = reader.string(entryMap["note"], "\(what) note") ?? note
                let schedule = readSchedule(entryNode, what: what, allowedExtra: entryOverrideKeys, id: id, file: &file, reader: &reader)
                guard let entryLevels else {
                    if entryMap["levels"] == nil && map["levels"] == nil {
                        reader.error("schedule \(index + 1) of \(what) has no 'levels' (and the duty has none)", at: entryNode)
                    }
                    continue
                }
                for level in entryLevels {
                    if let other = levelOwner[level] {
                        reader.error("\(what): level \(level.rawValue) is in schedules \(other + 1) and \(index + 1); a level may have one schedule",
                                     at: entryMap["levels"] ?? entryNode)
                    }
                    levelOwner[level] = index
                }
                if entryClause == nil { reader.error("schedule \(index + 1) of \(what) has no 'clause'", at: entryNode) }
                if entryQuote == nil { reader.error("schedule \(index + 1) of \(what) has no 'quote'", at: entryNode) }
                guard let entryBody, let entryClause, let entryQuote, let schedule else { continue }
                entries.append(ScheduleEntry(levels: entryLevels, body: entryBody,
                                             citation: Citation(document: document.id, clause: entryClause, quote: entryQuote, seed: seed),
                                             note: entryNote, schedule: schedule))
            }
        }
        guard let title, !entries.isEmpty else { return nil }
        return Duty(id: id, title: title, englishTitle: reader.string(map["title_en"], "\(what) title_en"),
                    document: document.id, tags: tags, leadDays: leadDays, rolling: rolling, entries: entries)
    }

    static func readLevels(_ node: Node?, _ what: String, _ reader: inout YAMLReader) -> [Level]? {
        guard let items = reader.sequence(node, "\(what) levels") else { return nil }
        let levels = items.compactMap { reader.choice($0, "level", Level.allNames, Level.init(name:)) }
        return levels.count == items.count && !levels.isEmpty ? levels : nil
    }

    static func readQuote(_ node: Node?, _ what: String, _ reader: inout YAMLReader) -> String? {
        guard let quote = reader.string(node, "\(what) quote") else { return nil }
        if !(10...80).contains(quote.count) {
            reader.error("\(what): the quote has \(quote.count) characters; quote 10 to 80 characters of the source", at: node)
        }
        return quote
    }

    // MARK: - Schedules

    /// Reads the one schedule kind in a mapping.
    static func readSchedule(_ node: Node, what: String, allowedExtra: [String], id: DutyID, file: inout CatalogueFile,
                             reader: inout YAMLReader) -> Schedule? {
        let kinds = ScheduleKind.allCases.map(\.rawValue)
        guard case .mapping(let mapping) = node else {
            reader.error("the schedule of \(what) must be a mapping with one kind: \(kinds.joined(separator: ", "))", at: node)
            return nil
        }
        var found: [(ScheduleKind, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if let kind = ScheduleKind(rawValue: name) {
                found.append((kind, key, value))
            } else if !allowedExtra.contains(name) {
                let hint = Suggestion.nearest(to: name, in: kinds).map { "did you mean '\($0)'?" }
                    ?? "expected one of: \(kinds.joined(separator: ", "))"
                reader.error("unknown schedule kind '\(name)' in \(what): \(hint)", at: key)
                return nil
            }
        }
        guard found.count == 1, let (kind, _, body) = found.first else {
            reader.error(found.isEmpty
                         ? "the schedule of \(what) names no kind: expected one of \(kinds.joined(separator: ", "))"
                         : "the schedule of \(what) names \(found.count) kinds (\(found.map(\.0.rawValue).joined(separator: ", "))): give one per schedule",
                         at: found.dropFirst().first?.1 ?? node)
            return nil
        }
        let context = "\(kind.rawValue) schedule of \(what)"
        switch kind {
        case .periodic: return readPeriodic(body, context, &reader)
        case .quota: return readQuota(body, context, &reader)
        case .window: return readWindow(body, context, &reader)
        case .relative: return readRelative(body, context, id: id, file: &file, &reader)
        case .phase: return readPhase(body, context, &reader)
        case .milestone: return readMilestone(body, context, &reader)
        case .holiday: return readHoliday(body, context, &reader)
        case .workday: return readWorkday(body, context, &reader)
        }
    }

    static func readPeriodic(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["rule", "start", "until", "exdates", "rdates", "period"]) else { return nil }
        let ruleNode = reader.required(map, "rule", in: "the \(what)", at: node)
        let start = reader.date(reader.required(map, "start", in: "the \(what)", at: node), "start")
        let until = reader.date(map["until"], "until")
        let period = map["period"].flatMap { reader.choice($0, "period", PeriodUnit.allCases.map(\.rawValue), PeriodUnit.init(rawValue:)) }
        guard let text = reader.string(ruleNode, "rule") else { return nil }
        let rule: RecurrenceRule
        do {
            rule = try RecurrenceRule(text)
        } catch {
            reader.error("\(what) has an \(error)", at: ruleNode)
            return nil
        }
        if [.secondly, .minutely, .hourly].contains(rule.frequency) {
            reader.error("\(what): FREQ=\(rule.frequency.rawValue) is finer than a day; duties fall due on days (use DAILY, WEEKLY, MONTHLY or YEARLY)", at: ruleNode)
            return nil
        }
        if let start, let until, until < start {
            reader.error("\(what): until \(until) is before start \(start)", at: map["until"])
            return nil
        }
        guard let start else { return nil }
        return .periodic(Schedule.Periodic(rule: rule, start: start, until: until, exdates: reader.dates(map["exdates"], "exdates"),
                                           rdates: reader.dates(map["rdates"], "rdates"), period: period))
    }

    static func readBounds(_ map: [String: Node], _ what: String, _ reader: inout YAMLReader) -> (CivilDate?, CivilDate?, Bool) {
        let start = reader.date(map["start"], "start")
        let until = reader.date(map["until"], "until")
        if let start, let until, until < start {
            reader.error("\(what): until \(until) is before start \(start)", at: map["until"])
            return (start, until, false)
        }
        return (start, until, true)
    }

    static func readPeriodUnit(_ node: Node?, _ reader: inout YAMLReader) -> PeriodUnit? {
        reader.choice(node, "per", PeriodUnit.allCases.map(\.rawValue), PeriodUnit.init(rawValue:))
    }

    static func readQuota(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["count", "per", "start", "until"]) else { return nil }
        let count = reader.int(reader.required(map, "count", in: "the \(what)", at: node), "count", range: 1...10_000)
        let per = readPeriodUnit(reader.required(map, "per", in: "the \(what)", at: node), &reader)
        let (start, until, ok) = readBounds(map, what, &reader)
        guard let count, let per, ok else { return nil }
        return .quota(Schedule.Quota(count: count, per: per, start: start, until: until))
    }

    /// Reads `from`/`to` as two month-days (yearly) or two full dates (once).
    static func readSpan(_ map: [String: Node], _ node: Node, _ what: String, _ reader: inout YAMLReader) -> Span? {
        let fromNode = reader.required(map, "from", in: "the \(what)", at: node)
        let toNode = reader.required(map, "to", in: "the \(what)", at: node)
        guard let from = reader.string(fromNode, "from"), let to = reader.string(toNode, "to") else { return nil }
        if let a = CivilDate(from), let b = CivilDate(to) {
            guard a <= b else {
                reader.error("\(what): the end \(b) precedes the start \(a); swap them or fix the dates", at: toNode)
                return nil
            }
            return .once(from: a, to: b)
        }
        if let a = MonthDay(from), let b = MonthDay(to) { return .yearly(from: a, to: b) }
        reader.error("\(what): from '\(from)' and to '\(to)' must both be MM-DD (every year) or both YYYY-MM-DD (once)", at: fromNode)
        return nil
    }

    static func readWindow(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["from", "to", "start", "until"]) else { return nil }
        let span = readSpan(map, node, what, &reader)
        let (start, until, ok) = readBounds(map, what, &reader)
        guard let span, ok else { return nil }
        return .window(Schedule.Window(span: span, start: start, until: until))
    }

    static func readPhase(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["campaign", "name", "from", "to", "years"]) else { return nil }
        let name = reader.string(reader.required(map, "name", in: "the \(what)", at: node), "phase name")
        let span = readSpan(map, node, what, &reader)
        let years = (reader.sequence(map["years"], "years") ?? []).compactMap { reader.int($0, "a year", range: 1949...2100) }
        guard let name, let span else { return nil }
        if case .yearly = span, years.isEmpty {
            reader.error("\(what): a phase given as MM-DD needs 'years: [..]'; or write full dates", at: node)
            return nil
        }
        return .phase(Schedule.Phase(campaign: reader.string(map["campaign"], "campaign"), name: name, span: span, years: years))
    }

    static func readMilestone(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["due", "from"]) else { return nil }
        let due = reader.date(reader.required(map, "due", in: "the \(what)", at: node), "due")
        let from = reader.date(map["from"], "from")
        guard let due else { return nil }
        if let from, from > due {
            reader.error("\(what): from \(from) is after the due date \(due)", at: map["from"])
            return nil
        }
        return .milestone(Schedule.Milestone(due: due, from: from))
    }

    static func readHoliday(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["before", "workdays", "days", "start", "until"]) else { return nil }
        let names = (reader.sequence(reader.required(map, "before", in: "the \(what)", at: node), "before") ?? [])
            .compactMap { reader.choice($0, "holiday", HolidayNames.all, { HolidayNames.all.contains($0) ? $0 : nil }) }
        let lead: Schedule.HolidayAnchored.Lead?
        switch (map["workdays"], map["days"]) {
        case (let w?, nil): lead = reader.int(w, "workdays", range: 0...60).map { .workdays($0) }
        case (nil, let d?): lead = reader.int(d, "days", range: 0...90).map { .days($0) }
        default:
            reader.error("\(what) needs exactly one of 'workdays' or 'days' before the holiday", at: node)
            lead = nil
        }
        let (start, until, ok) = readBounds(map, what, &reader)
        guard !names.isEmpty, let lead, ok else { return nil }
        return .holiday(Schedule.HolidayAnchored(holidays: names, lead: lead, start: start, until: until))
    }

    static func readWorkday(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["nth", "per", "start", "until"]) else { return nil }
        let nth = reader.int(reader.required(map, "nth", in: "the \(what)", at: node), "nth", range: -23...23)
        let per = readPeriodUnit(reader.required(map, "per", in: "the \(what)", at: node), &reader)
        let (start, until, ok) = readBounds(map, what, &reader)
        if nth == 0 { reader.error("\(what): nth is 1 for the first working day, -1 for the last; not 0", at: map["nth"]) }
        guard let nth, nth != 0, let per, ok else { return nil }
        if per == .day || per == .week, abs(nth) > 5 {
            reader.error("\(what): a \(per.rawValue) has at most a few working days", at: map["nth"])
        }
        return .workday(Schedule.NthWorkday(nth: nth, per: per, start: start, until: until))
    }

    static func readRelative(_ node: Node, _ what: String, id: DutyID, file: inout CatalogueFile,
                             _ reader: inout YAMLReader) -> Schedule? {
        guard let map = reader.mapping(node, "the \(what)", allowed: ["after", "event", "days", "workdays", "months", "day", "from"]) else { return nil }
        let anchor: Schedule.Anchor?
        switch (map["after"], map["event"]) {
        case (let after?, nil):
            anchor = reader.string(after, "after").map { target in
                file.anchors.append((id, DutyID(target), reader.location(after)))
                return .duty(DutyID(target))
            }
        case (nil, let event?):
            anchor = reader.string(event, "event").map { .event($0) }
        default:
            reader.error("\(what) needs exactly one of 'after' (a duty id) or 'event' (an event name)", at: node)
            anchor = nil
        }
        let offset: Schedule.Offset?
        switch (map["days"], map["workdays"], map["months"]) {
        case (let d?, nil, nil): offset = reader.int(d, "days", range: 0...3660).map { .days($0) }
        case (nil, let w?, nil): offset = reader.int(w, "workdays", range: 0...500).map { .workdays($0) }
        case (nil, nil, let m?):
            let months = reader.int(m, "months", range: 0...120)
            let day = map["day"].flatMap { reader.int($0, "day", range: 1...31) }
            offset = months.map { .months($0, day: day) }
        default:
            reader.error("\(what) needs exactly one offset: 'days', 'workdays' or 'months' (with optional 'day')", at: node)
            offset = nil
        }
        if map["day"] != nil, map["months"] == nil {
            reader.error("\(what): 'day' goes with 'months' (次月12日前 is months: 1, day: 12)", at: map["day"])
        }
        var fromStart = false
        if let from = map["from"] {
            fromStart = reader.choice(from, "from", ["start", "due"], { ["start": true, "due": false][$0] }) ?? false
        }
        guard let anchor, let offset else { return nil }
        return .relative(Schedule.Relative(anchor: anchor, offset: offset, fromStart: fromStart))
    }
}
