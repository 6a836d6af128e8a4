import Calendrical
public import DutyCore
public import Foundation
public import Mail
import Mustache
public import Reminders

/// A digest ready to send: the message and what identifies it.
public struct RenderedDigest: Sendable {
    /// Without angle brackets; stable for a recipient, unit, body and day.
    public let messageID: String
    /// The decoded subject.
    public let subject: String
    /// The plain-text part.
    public let text: String
    /// The HTML part.
    public let html: String
    /// The complete RFC 5322 message.
    public let bytes: Data
}

/// Turns a digest plan into a Chinese email: subject, plain text and HTML from Mustache
/// templates (`Templates/`), and a `text/calendar` attachment of the listed items.
public struct DigestRenderer: Sendable {
    private let textTemplate: MustacheTemplate
    private let htmlTemplate: MustacheTemplate

    /// Loads the templates shipped with the module.
    public init() throws {
        func load(_ name: String) throws -> MustacheTemplate {
            guard let url = Bundle.module.url(forResource: name, withExtension: "mustache", subdirectory: "Templates")
                ?? Bundle.module.url(forResource: name, withExtension: "mustache") else {
                throw DigestError("the digest template \(name).mustache is missing from the installation")
            }
            return try MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
        }
        textTemplate = try load("digest.text")
        htmlTemplate = try load("digest.html")
    }

    /// The digest for `plan`, sent by `sender` at `now`; `calendar` is the iCalendar
    /// attachment (METHOD:PUBLISH) of the listed items, if any.
    public func render(_ plan: DigestPlan, sender: MailMessage.Address, now: Date, timeZone: TimeZone,
                       calendar: Data?, footer: String) -> RenderedDigest {
        let subject = DigestRenderer.subject(plan)
        var view = DigestRenderer.view(plan)
        view["subject"] = subject
        view["footer"] = footer
        let text = DigestRenderer.normalise(textTemplate.render(view))
        let html = DigestRenderer.normalise(htmlTemplate.render(view))
        let domain = sender.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let identity = "\(plan.recipient.email)|\(plan.unit.id)|\(plan.body.id)"
        let messageID = "dutycal.\(plan.asOf).\(MIME.hexDigest(identity))@\(domain)"
        var attachments: [MailMessage.Part] = []
        if let calendar {
            attachments.append(.init(contentType: "text/calendar; charset=utf-8; method=PUBLISH", body: calendar,
                                     disposition: "attachment; filename=\"dutycal-\(plan.asOf).ics\""))
        }
        let message = MailMessage(
            from: sender, to: [.init(name: plan.recipient.name, address: plan.recipient.email)], subject: subject, date: now,
            messageID: messageID,
            alternatives: [.init(contentType: "text/plain; charset=utf-8", body: Data(text.utf8)),
                           .init(contentType: "text/html; charset=utf-8", body: Data(html.utf8))],
            attachments: attachments,
            extraHeaders: [("X-DutyCal-Digest", "\(plan.asOf) \(plan.kinds.sorted().map(\.rawValue).joined(separator: ","))")])
        return RenderedDigest(messageID: messageID, subject: subject, text: text, html: html,
                              bytes: message.serialized(timeZone: timeZone))
    }

    /// 【履职提醒】示例县 县安委办 王主任 2026年3月2日：逾期2项、今日到期1项、本周到期3项
    static func subject(_ plan: DigestPlan) -> String {
        var counts: [String] = []
        if !plan.overdue.isEmpty { counts.append("逾期\(plan.overdue.count)项") }
        if !plan.dueToday.isEmpty { counts.append("今日到期\(plan.dueToday.count)项") }
        if !plan.thisWeek.isEmpty { counts.append("本周到期\(plan.thisWeek.count)项") }
        let shortfalls = plan.quotas.filter { ($0.progress?.shortfall ?? 0) > 0 }.count
        if shortfalls > 0 { counts.append("指标未完成\(shortfalls)项") }
        let kind = plan.kinds.contains(.daily) ? "履职提醒" : plan.kinds.contains(.weekly) ? "每周汇总" : "每月概览"
        let summary = counts.isEmpty ? "近期\(plan.next30Days.count)项待办" : counts.joined(separator: "、")
        return "【\(kind)】\(plan.unit.name) \(plan.body.name) \(plan.recipient.name) \(plan.asOf.chinese)：\(summary)"
    }

    static func view(_ plan: DigestPlan) -> [String: Any] {
        let sections: [(String, String, [DigestItem])] = [
            ("已逾期", "#c0392b", plan.overdue), ("今日到期", "#d35400", plan.dueToday), ("本周到期", "#2c7be5", plan.thisWeek),
            ("未来30天", "#555555", plan.next30Days), ("指标进度", "#27ae60", plan.quotas),
        ]
        var index = 0
        let rendered: [[String: Any]] = sections.filter { !$0.2.isEmpty }.map { name, color, items in
            ["name": name, "color": color, "count": items.count, "items": items.map { item -> [String: Any] in
                index += 1
                return itemView(item, index: index, asOf: plan.asOf, color: color)
            }]
        }
        return [
            "recipientName": plan.recipient.name, "unitName": plan.unit.name, "bodyName": plan.body.name,
            "dateLabel": "\(plan.asOf.chinese)（\(plan.asOf.chineseWeekday)）",
            "kindsLabel": plan.kinds.sorted().map(\.chinese).joined(separator: "、"),
            "sections": rendered,
        ]
    }

    static func itemView(_ item: DigestItem, index: Int, asOf: CivilDate, color: String) -> [String: Any] {
        let record = item.record
        let due = CivilDate(record.due)!
        let start = CivilDate(record.start)!
        var view: [String: Any] = [
            "index": index, "id": record.id, "color": color,
            "title": record.count.map { "\(record.title)（不少于\($0)次）" } ?? record.title,
            "dueLabel": "\(due.year == asOf.year ? due.chineseMonthDay : due.chinese)（\(due.chineseWeekday)）",
            "body": record.bodyName ?? record.body, "period": record.periodLabel,
            "source": "《\(record.documentTitle)》\(record.clause)", "quote": record.quote,
        ]
        switch item.daysLeft {
        case ..<0: view["status"] = "已逾期\(-item.daysLeft)天"
        case 0: view["status"] = "今天到期"
        default: view["status"] = "还有\(item.daysLeft)天"
        }
        if record.kind == "quota", let progress = item.progress {
            view["status"] = nil
            view["progress"] = progress.shortfall == 0
                ? "已完成\(progress.done)次，达到不少于\(progress.required)次的要求"
                : "已完成\(progress.done)次，应不少于\(progress.required)次，尚差\(progress.shortfall)次"
                    + (progress.workingDaysLeft.map { "，本期剩余\($0)个工作日" } ?? "")
        }
        if start < due, record.kind != "quota" {
            view["span"] = "\(start.chinese)至\(due.year == start.year ? due.chineseMonthDay : due.chinese)"
        }
        if let adjustment = record.adjustment { view["adjustment"] = adjustment }
        if record.provisional { view["provisional"] = true }
        return view
    }

    /// Collapses the blank lines section tags leave behind and ends with one newline.
    static func normalise(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line.trimmingCharacters(in: .whitespaces).isEmpty ? "" : line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A digest that cannot be rendered.
public struct DigestError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
