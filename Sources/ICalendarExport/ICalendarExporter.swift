public import Export

/// iCalendar (RFC 5545) feeds: one all-day VEVENT per occurrence.
public struct ICalendarExporter: Exporter {
    public let name = "ics"
    public let summary = "iCalendar feed for calendar apps (RFC 5545)"
    public let fileExtension = "ics"
    public let mediaType = "text/calendar; charset=utf-8"

    /// The exporter.
    public init() {}

    public func export(_ request: ExportRequest) throws(ExportError) -> ExportResult {
        throw ExportError("the iCalendar exporter is being written")
    }
}
