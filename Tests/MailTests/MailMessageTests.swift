import Foundation
import Mail
import Testing

/// MIME serialisation: CRLF, 7-bit headers, whole characters per encoded word, short lines.
@Suite struct MailMessageTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func message(subject: String = "【履职提醒】示例县 县安委办 王主任：2026年3月2日 逾期2项、今日到期1项、本周到期3项") -> MailMessage {
        MailMessage(from: .init(name: "示例县安全生产委员会办公室履职日历提醒服务", address: "dutycal@example.gov.cn"),
                    to: [.init(name: "王主任", address: "wang@example.gov.cn")],
                    subject: subject, date: Date(timeIntervalSince1970: 1_772_406_000), messageID: "dutycal.2026-03-02.abc@example.gov.cn",
                    alternatives: [.init(contentType: "text/plain; charset=utf-8", body: Data(String(repeating: "安全生产", count: 400).utf8)),
                                   .init(contentType: "text/html; charset=utf-8", body: Data("<p>安全</p>".utf8))],
                    attachments: [.init(contentType: "text/calendar; charset=utf-8; method=PUBLISH", body: Data("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8),
                                        disposition: "attachment; filename=\"dutycal.ics\"")])
    }

    @Test func linesAreCRLFShortAndHeadersSevenBit() throws {
        let bytes = message().serialized(timeZone: shanghai)
        let text = try #require(String(data: bytes, encoding: .utf8))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        #expect(bytes.allSatisfy { $0 < 0x80 })  // the whole message: headers encoded, bodies base64
        let headerEnd = try #require(lines.firstIndex(of: ""))
        for name in ["From:", "To:", "Subject:", "Date: Mon, 02 Mar 2026 07:00:00 +0800", "Message-ID: <dutycal.2026-03-02.abc@example.gov.cn>",
                     "MIME-Version: 1.0", "Auto-Submitted: auto-generated"] {
            #expect(lines[..<headerEnd].contains { $0.hasPrefix(name) }, "\(name)")
        }
    }

    @Test func encodedWordsHoldWholeCharacters() throws {
        let encoded = MIME.encodedWords("【履职提醒】示例县 县安委办 王主任：2026年3月2日", offset: 9)
        let words = encoded.split(separator: " ")
        #expect(words.count > 1)
        var decoded = ""
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?=") && word.count <= 75)
            let payload = word.dropFirst(10).dropLast(2)
            let data = try #require(Data(base64Encoded: String(payload)))
            decoded += try #require(String(data: data, encoding: .utf8))  // each word decodes alone
        }
        #expect(decoded == "【履职提醒】示例县 县安委办 王主任：2026年3月2日")
        #expect(MIME.encodedWords("plain ascii", offset: 0) == "plain ascii")
    }

    @Test func serialisationIsDeterministic() {
        #expect(message().serialized(timeZone: shanghai) == message().serialized(timeZone: shanghai))
    }

    @Test func maildirDeliversOncePerMessageID() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maildir-\(UUID().uuidString)").path
        let transport = MaildirTransport(folder: folder)
        let bytes = message().serialized(timeZone: shanghai)
        try transport.send(bytes, messageID: "dutycal.2026-03-02.abc@example.gov.cn", from: "dutycal@example.gov.cn", to: ["wang@example.gov.cn"])
        try transport.send(bytes, messageID: "dutycal.2026-03-02.abc@example.gov.cn", from: "dutycal@example.gov.cn", to: ["wang@example.gov.cn"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/new").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/tmp").isEmpty)
    }

    @Test func aFailingSendmailCommandIsReportedWithItsStatus() {
        #expect {
            try SendmailTransport(command: ["sh", "-c", "cat >/dev/null; echo 'mail server down' >&2; exit 75"])
                .send(Data("x".utf8), messageID: "m@x", from: "a@b.cn", to: ["c@d.cn"])
        } throws: { error in
            guard let error = error as? MailError else { return false }
            return error.isTemporary && error.description.contains("exited with status 75: mail server down")
        }
    }
}
