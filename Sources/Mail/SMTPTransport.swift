internal import CCurl
public import Foundation

/// Sends over SMTP with libcurl: STARTTLS (required when `starttls`), AUTH when a user is
/// set, `MAIL FROM`/`RCPT TO` from the envelope.
public struct SMTPTransport: MailTransport {
    /// `smtp://host:587` (STARTTLS) or `smtps://host:465`.
    public let url: String
    /// Require STARTTLS on `smtp://`.
    public let starttls: Bool
    /// AUTH user and password, if the server needs them.
    public let user: String?
    public let password: String?
    /// A CA bundle to verify the server with (for a private CA); nil for the system's.
    public let caFile: String?

    /// An SMTP transport.
    public init(url: String, starttls: Bool, user: String?, password: String?, caFile: String? = nil) {
        self.url = url
        self.starttls = starttls
        self.user = user
        self.password = password
        self.caFile = caFile
    }

    /// Feeds the message to libcurl's read callback.
    private final class Upload {
        let data: Data
        var offset = 0
        init(_ data: Data) { self.data = data }
    }

    public func send(_ message: Data, messageID: String, from sender: String, to recipients: [String]) throws(MailError) {
        SMTPTransport.initialise
        guard let curl = curl_easy_init() else { throw MailError(temporary: true, "libcurl could not start a session") }
        defer { curl_easy_cleanup(curl) }
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, recipient) }
        defer { curl_slist_free_all(list) }
        let upload = Upload(message)
        let context = Unmanaged.passRetained(upload)
        defer { context.release() }

        _ = dutycal_curl_setopt_string(curl, CURLOPT_URL, url)
        _ = dutycal_curl_setopt_string(curl, CURLOPT_MAIL_FROM, "<\(sender)>")
        _ = dutycal_curl_setopt_slist(curl, CURLOPT_MAIL_RCPT, list)
        _ = dutycal_curl_setopt_long(curl, CURLOPT_UPLOAD, 1)
        _ = dutycal_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        _ = dutycal_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT, 20)
        _ = dutycal_curl_setopt_long(curl, CURLOPT_TIMEOUT, 120)
        if starttls { _ = dutycal_curl_setopt_long(curl, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile { _ = dutycal_curl_setopt_string(curl, CURLOPT_CAINFO, caFile) }
        if let user { _ = dutycal_curl_setopt_string(curl, CURLOPT_USERNAME, user) }
        if let password { _ = dutycal_curl_setopt_string(curl, CURLOPT_PASSWORD, password) }
        _ = dutycal_curl_setopt_pointer(curl, CURLOPT_READDATA, context.toOpaque())
        _ = dutycal_curl_setopt_read_function(curl) { buffer, size, count, pointer in
            guard let buffer, let pointer else { return 0 }
            let upload = Unmanaged<Upload>.fromOpaque(pointer).takeUnretainedValue()
            let n = min(size * count, upload.data.count - upload.offset)
            guard n > 0 else { return 0 }
            upload.data.withUnsafeBytes { raw in
                _ = memcpy(buffer, raw.baseAddress! + upload.offset, n)
            }
            upload.offset += n
            return n
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            _ = dutycal_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            return curl_easy_perform(curl)
        }
        guard code == CURLE_OK else {
            var response = 0
            _ = dutycal_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &response)
            let buffered = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let detail = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
            // 5xx replies are permanent refusals; connection problems and 4xx may pass.
            let temporary = !(500...599).contains(response)
            throw MailError(temporary: temporary, "SMTP to \(url) failed\(response > 0 ? " (server replied \(response))" : ""): \(detail)")
        }
    }

    /// libcurl's global set-up, once per process.
    private static let initialise: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
}
