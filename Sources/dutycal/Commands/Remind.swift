import ArgumentParser
import Calendrical
import CatalogueLoader
import Delivery
import Digest
import DutyCore
import Foundation
import ICalendarExport
import Ledger
import Mail
import Reminders

extension DutyCal {
    /// `dutycal remind`: the daily reminder run cron starts.
    struct Remind: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the day's reminder digests (one per recipient) and record them in the ledger.",
            discussion: """
            Works out which reminders are due (lead times before due dates, due today, overdue), groups \
            them into one digest per recipient, stores each digest in the ledger before sending it, and \
            sends what earlier runs left unsent. Running it again the same day sends nothing new; after \
            days without a run it catches up in one digest.
            Exit status: 0 all sent (or nothing to send), 75 the mail system failed or another run holds \
            the ledger (the digests stay pending and the next run sends them), 69 the mail system refused \
            a digest permanently, 65 bad catalogue, deployment or ledger data, 66 no ledger (dry run only \
            reads one), 74 the ledger cannot be written, 78 the deployment lacks mail settings.
            """)

        @OptionGroup var options: DeploymentOptions

        @Option(name: .customLong("as-of"), help: "The day to remind for, YYYY-MM-DD (default: today in Asia/Shanghai).")
        var asOf: String?

        @Flag(name: .customLong("dry-run"), help: "Show the digests that would be sent; store and send nothing.")
        var dryRun = false

        @Option(help: "Seconds to wait for another run holding the ledger before giving up.")
        var wait: Double = 60

        func run() throws {
            let asOf = try asOf.map { try RangeOptions.parse($0, "--as-of") } ?? Clock.today()
            let (loaded, deploymentPath, deployment) = try options.load()
            guard let mail = deployment.mail else {
                Console.error("\(deploymentPath): the deployment has no mail settings; add `mail: {from: dutycal@example.gov.cn, transport: sendmail}` under `deployment:`")
                throw ExitCode(ExitStatus.config)
            }
            let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
            let renderer: DigestRenderer
            do {
                renderer = try DigestRenderer()
            } catch {
                Console.error("error: the digest templates cannot be loaded: \(error)")
                throw ExitCode(ExitStatus.software)
            }
            let sender = MailMessage.Address(name: mail.fromName, address: mail.fromAddress)
            let reminders = ReminderRun(deployment: deployment, expander: loaded.expander, sender: sender, renderer: renderer) { items, now in
                DutyCal.mailAttachment(items, now: now, organizer: .init(address: sender.address, name: sender.name))
            }
            if dryRun {
                try withLedger { try preview(reminders, asOf: asOf, ledgerPath: ledgerPath) }
                return
            }
            let transport: any MailTransport
            do {
                transport = try mail.transport.transport(environment: ProcessInfo.processInfo.environment)
            } catch {
                Console.error("\(deploymentPath): \(error)")
                throw ExitCode(ExitStatus.config)
            }
            let report = try withLedger {
                try FileManager.default.createDirectory(atPath: (ledgerPath as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                // Runs never overlap: the second waits, then finds the first one's work recorded.
                let lock = try Ledger.lockForRun(path: ledgerPath, wait: wait)
                defer { lock.release() }
                let ledger = try DeploymentOptions.open(ledgerPath, createIfMissing: true)
                return try reminders.run(asOf: asOf, now: Date(), timeZone: Clock.shanghai, ledger: ledger,
                                         transport: transport, clock: { Date() })
            }
            Console.out("\(asOf) \(deployment.name)：新存入摘要 \(report.stored) 份（今日应有 \(report.planned.count) 份，其余此前已存入），发送 \(report.sent.count) 份，失败 \(report.failures.count) 份\n")
            for sent in report.sent { Console.out("已发送 \(sent.recipient) <\(sent.messageID)>\n") }
            for failure in report.failures {
                Console.error("未发送 \(failure.recipient) <\(failure.messageID)>: \(failure.error.description)")
            }
            guard report.succeeded else {
                let temporary = report.failures.contains { $0.error.isTemporary }
                Console.error("""
                    error: \(report.failures.count) digest\(report.failures.count == 1 ? "" : "s") not accepted by the mail system \
                    (\(mail.transport.summary)); \(temporary ? "they stay pending in \(ledgerPath) and the next run sends them" : "fix the address or the mail settings; the next run tries again")
                    """)
                throw ExitCode(temporary ? ExitStatus.tempFail : ExitStatus.unavailable)
            }
        }

        /// Prints the digests a run would send, reading the ledger (or none yet) without writing to it.
        private func preview(_ reminders: ReminderRun, asOf: CivilDate, ledgerPath: String) throws {
            let report: RunReport
            if FileManager.default.fileExists(atPath: ledgerPath) {
                report = try reminders.preview(asOf: asOf, now: Date(), timeZone: Clock.shanghai,
                                               ledger: try DeploymentOptions.open(ledgerPath, createIfMissing: false))
            } else {
                // No ledger yet: plan against an empty one that is thrown away.
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutycal-preview-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: folder) }
                report = try reminders.preview(asOf: asOf, now: Date(), timeZone: Clock.shanghai,
                                               ledger: try DeploymentOptions.open(folder.appendingPathComponent("ledger.sqlite").path, createIfMissing: true))
            }
            Console.out("\(asOf) \(reminders.deployment.name)：将发送 \(report.previews.count) 份摘要（试运行，未发送，未记录）\n")
            for (plan, digest) in zip(report.planned, report.previews) {
                Console.out("\n收件人：\(plan.recipient.name) <\(plan.recipient.email)>\n主题：\(digest.subject)\n新提醒：\(plan.newReminders.count) 条\n\n\(digest.text)\n")
            }
        }
    }
}

extension MailTransportSetting {
    /// How digests leave, for messages.
    var summary: String {
        switch self {
        case .sendmail(let command): "piped to \(command.joined(separator: " "))"
        case .smtp(let url, _, _, _, _, _): "SMTP \(url)"
        case .maildir(let folder): "Maildir \(folder)"
        }
    }
}
