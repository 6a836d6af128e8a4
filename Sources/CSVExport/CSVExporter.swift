public import Export

/// CSV for Excel and WPS (RFC 4180): one row per occurrence, Chinese header row.
public struct CSVExporter: Exporter {
    public let name = "csv"
    public let summary = "CSV spreadsheet for Excel and WPS (RFC 4180, UTF-8 with BOM or GB18030)"
    public let fileExtension = "csv"
    public let mediaType = "text/csv; charset=utf-8"

    /// The exporter.
    public init() {}

    public func export(_ request: ExportRequest) throws(ExportError) -> ExportResult {
        throw ExportError("the CSV exporter is being written")
    }
}
