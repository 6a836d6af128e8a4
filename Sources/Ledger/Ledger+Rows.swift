import Calendrical
import Foundation
import GRDB

// Reading typed values out of rows. The schema's CHECKs guarantee the text forms, so a
// value that does not parse means the file was changed behind dutycal's back.
extension Row {
    /// A `YYYY-MM-DD` column as a civil date.
    func civilDate(_ column: String) throws -> CivilDate {
        let text: String = self[column]
        guard let date = CivilDate(text) else { throw LedgerDataError(column: column, value: text) }
        return date
    }
}

extension CivilDate {
    /// The form stored in the ledger, `YYYY-MM-DD`.
    var ledgerText: String { description }
}

/// A stored value that breaks the schema's own rules.
struct LedgerDataError: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String {
        "the column \(column) holds '\(value)', which this dutycal cannot read; the ledger was changed by another program"
    }
}

/// An occurrence id must look like `unit/body/duty@period` or `duty@period`.
func checkOccurrenceID(_ id: String, path: String) throws(LedgerError) {
    guard let at = id.firstIndex(of: "@"), at != id.startIndex, id.index(after: at) != id.endIndex,
          !id.contains(where: \.isWhitespace) else {
        throw LedgerError(.invalidInput, path: path,
                          "'\(id)' is not an occurrence id; ids look like county/yingji/zhifanian-2016-yuebao@2026-01 (see dutycal expand)")
    }
}

/// Nil for nil or empty text.
func nonEmpty(_ text: String?) -> String? {
    guard let text, !text.isEmpty else { return nil }
    return text
}
