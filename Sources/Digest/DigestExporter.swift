import Calendrical
public import DutyCore
public import Export
public import Foundation
import Mail
import Reminders

/// The email digest as an exporter: `dutycal export --format digest --out preview.eml`
/// renders the selected occurrences as the digest a recipient would get on the range's
/// first day (as if nothing were done yet), to preview in a mail reader.
public struct DigestExporter: Exporter {
    public let name = "digest"
    public let summary = "email digest preview as an .eml message (RFC 5322)"
    public let fileExtension = "eml"
    public let mediaType = "message/rfc822"
    /// Makes the iCalendar attachment of the listed items.
    let attachment: @Sendable ([OccurrenceRecord], Date) -> Data?

    /// A digest exporter; `attachment` renders the listed items as iCalendar.
    public init(attachment: @escaping @Sendable ([OccurrenceRecord], Date) -> Data?) {
        self.attachment = attachment
    }

    public func export(_ request: ExportRequest) throws(ExportError) -> ExportResult {
        let renderer: DigestRenderer
        do {
            renderer = try DigestRenderer()
        } catch {
            throw ExportError("\(error)")
        }
        let asOf = request.range.from
        let items = request.items.map { record in
            DigestItem(record: record, completions: 0, daysLeft: asOf.days(to: CivilDate(record.due) ?? asOf),
                       progress: record.count.map { QuotaProgress(done: 0, required: $0, workingDaysLeft: nil) })
        }
        let sections = ReminderPlanner.sections(items, asOf: asOf, trackingStart: asOf)
        let first = request.items.first
        let unit = Unit(id: UnitID(first?.unit ?? "preview"), name: first?.unitName ?? request.title, level: .county, bodies: [])
        let body = Body(id: first?.bodyId ?? "preview", name: first?.bodyName ?? "", roles: [])
        let plan = DigestPlan(recipient: Recipient(name: "（预览）", email: "preview@localhost", cadence: [.daily]),
                              unit: unit, body: body, asOf: asOf, kinds: [.daily],
                              overdue: sections.overdue, dueToday: sections.dueToday, thisWeek: sections.thisWeek,
                              next30Days: sections.next30Days, quotas: sections.quotas, newReminders: [])
        let listed = plan.allItems.map(\.record)
        let digest = renderer.render(plan, sender: .init(name: "履职日历", address: "dutycal@localhost"), now: request.now,
                                     timeZone: TimeZone(identifier: "Asia/Shanghai")!, calendar: attachment(listed, request.now),
                                     footer: "履职日历 DutyCalendar 预览")
        return ExportResult(data: digest.bytes)
    }
}
