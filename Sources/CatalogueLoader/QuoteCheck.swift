public import Diagnostics
import DutyCore
import Foundation

/// Checks that every quote occurs verbatim in the source text it cites.
public enum QuoteCheck {
    /// Problems with quotes: a missing source text, or a quote not found in it.
    public static func check(_ loaded: LoadedCatalogue, seedsFolder: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var texts: [String: String?] = [:]
        for duty in loaded.catalogue.duties {
            for entry in duty.entries {
                let seed = entry.citation.seed
                if texts[seed] == nil {
                    let path = "\(seedsFolder)/\(seed)"
                    texts[seed] = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
                }
                guard let text = texts[seed] ?? nil else {
                    diagnostics.append(Diagnostic(.error, at: loaded.dutyLocations[duty.id],
                                                  "duty '\(duty.id)' cites source text '\(seed)', which is not in \(seedsFolder)"))
                    continue
                }
                if !text.contains(entry.citation.quote) {
                    diagnostics.append(Diagnostic(.error, at: loaded.dutyLocations[duty.id],
                                                  "duty '\(duty.id)': the quote '\(entry.citation.quote)' does not occur in \(seed); copy it exactly, punctuation included"))
                }
            }
        }
        return diagnostics
    }
}
