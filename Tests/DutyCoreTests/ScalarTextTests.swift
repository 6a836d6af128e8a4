import Calendrical
import CatalogueLoader
import DutyCore
import Testing

/// Text values are read without the spaces around them, whatever kind of space.
@Suite struct ScalarTextTests {
    @Test func spacesTabsAndIdeographicSpacesAroundTextAreDroppedInsideKept() throws {
        let loaded = try loadCatalogue(catalogueFile("""
          - id: test-trim
            title: "\u{3000}\t安委会 全体会议\u{3000} "
            title_en: "  Plenary\u{00A0}meeting\u{2003}"
            body: "安委会"
            levels: [县级]
            clause: 一
            quote: 每季度至少召开一次会议研究安全生产
            schedule:
              quota: {count: 1, per: quarter, start: 2026-01-01}
        """))
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let duty = try #require(loaded.catalogue.duties.first)
        #expect(duty.title == "安委会 全体会议")
        #expect(duty.englishTitle == "Plenary\u{00A0}meeting")
        #expect(duty.entries.first?.body == "安委会")
    }

    @Test func textOfOnlySpacesIsEmpty() throws {
        let loaded = try loadCatalogue(catalogueFile("""
          - id: test-blank
            title: "\u{3000} \t"
            body: 安委会
            levels: [县级]
            clause: 一
            quote: 每季度至少召开一次会议研究安全生产
            schedule:
              quota: {count: 1, per: quarter, start: 2026-01-01}
        """))
        #expect(loaded.diagnostics.contains { "\($0)".contains("is empty") }, "\(loaded.diagnostics)")
    }
}
