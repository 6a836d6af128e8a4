public import DutyCore
public import Foundation
public import Mail

/// A deployment's mail setting that cannot be used, with what to do.
public struct MailSettingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension MailTransportSetting {
    /// The transport this setting describes; an SMTP password is read from the named
    /// environment variable or file now, so a missing one is reported before anything is sent.
    public func transport(environment: [String: String]) throws(MailSettingError) -> any MailTransport {
        switch self {
        case .sendmail(let command):
            return SendmailTransport(command: command)
        case .maildir(let folder):
            return MaildirTransport(folder: folder)
        case let .smtp(url, starttls, user, passwordEnvironment, passwordFile, caFile):
            var password: String?
            if let name = passwordEnvironment {
                guard let value = environment[name], !value.isEmpty else {
                    throw MailSettingError("mail.smtp.password_env names \(name), which is not set: export \(name)=… in the job's environment (e.g. an EnvironmentFile= of the systemd unit)")
                }
                password = value
            } else if let file = passwordFile {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw MailSettingError("mail.smtp.password_file \(file) cannot be read: create it (mode 600) with the password on one line")
                }
                password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            }
            if user != nil, password == nil {
                throw MailSettingError("mail.smtp has a user but no password: add password_env or password_file")
            }
            return SMTPTransport(url: url, starttls: starttls, user: user, password: password, caFile: caFile)
        }
    }
}
