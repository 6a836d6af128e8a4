import ArgumentParser
import Diagnostics
import DutyCore
import Foundation
import Ledger

extension DutyCal {
    /// `dutycal token`: the secret feed links `dutycal serve` answers.
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue, list and revoke the secret feed links that dutycal serve answers.",
            discussion: """
            A token is the secret part of a feed link (/feeds/<token>.ics): whoever has the link sees \
            the feed, which is how Google and Outlook subscribe (they fetch from their own servers and \
            cannot log in). Tokens live in the ledger; a revoked token's links answer 404 at once.
            """,
            subcommands: [Issue.self, List.self, Revoke.self])

        /// `dutycal token issue`: a new token for a unit, a body or a recipient; `--all` for every one lacking one.
        struct Issue: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Issue a feed token for a unit, a body of it, or a recipient (--all: one for each that has none).",
                discussion: """
                --unit U: the unit's whole feed; --unit U --body B: one body's; --subscriber EMAIL: the feed of \
                the body whose digests that recipient receives (from recipients: in the deployment). --all issues \
                a token for every unit, every body and every recipient that has no valid token yet, so running it \
                again issues nothing. Prints each new token with its links (see dutycal token list).
                """)

            @OptionGroup var options: DeploymentOptions

            @Option(help: "The unit (its id).")
            var unit: String?

            @Option(help: "A body of the unit (its id or name).")
            var body: String?

            @Option(help: "A recipient's email address: their body's feed.")
            var subscriber: String?

            @Flag(help: "A token for every unit, body and recipient that has none.")
            var all = false

            func validate() throws {
                if all, unit != nil || body != nil || subscriber != nil {
                    throw ValidationError("--all issues tokens for every unit, body and recipient: give it alone")
                }
                if !all, unit == nil, subscriber == nil {
                    throw ValidationError("say what the token opens: --unit U [--body B], --subscriber EMAIL, or --all")
                }
                if subscriber != nil, unit != nil || body != nil {
                    throw ValidationError("--subscriber opens the body whose digests that recipient receives: give it without --unit and --body")
                }
                if body != nil, unit == nil { throw ValidationError("--body needs the --unit it belongs to") }
            }

            func run() throws {
                let (_, deploymentPath, deployment) = try options.load()
                let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
                let scopes = all ? TokenScopes.every(in: deployment) : [try TokenScopes.scope(unit: unit, body: body, subscriber: subscriber, in: deployment)]
                try withLedger {
                    let ledger = try DeploymentOptions.open(ledgerPath, createIfMissing: true)
                    let issued = all ? try ledger.issueMissingFeedTokens(for: scopes, at: Date())
                                     : [try ledger.issueFeedToken(for: scopes[0], at: Date())]
                    let links = TokenLinks(base: deployment.server?.publicURL)
                    for token in issued { Console.out(links.describe(token, in: deployment)) }
                    if all { Console.out("新发放 \(issued.count) 个订阅令牌（共 \(scopes.count) 个单位、责任主体和收件人）\n") }
                    if links.base == nil {
                        Console.error("note: \(deploymentPath) has no server public_url, so no links were printed; add `server: {public_url: https://…}` under `deployment:`")
                    }
                }
            }
        }

        /// `dutycal token list`: every valid token with its scope and links.
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the feed tokens with what each opens and its webcal://, https://, CSV and year-page links.")

            @OptionGroup var options: DeploymentOptions

            @Flag(help: "Also list revoked tokens.")
            var revoked = false

            func run() throws {
                let (_, deploymentPath, deployment) = try options.load()
                guard let base = deployment.server?.publicURL else {
                    Console.error("\(deploymentPath): the deployment has no server public_url to build links from; add `server: {public_url: https://rili.example.gov.cn}` under `deployment:`")
                    throw ExitCode(ExitStatus.config)
                }
                let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
                try withLedger {
                    guard FileManager.default.fileExists(atPath: ledgerPath) else {
                        Console.out("没有订阅令牌（台账 \(ledgerPath) 尚未建立）；用 dutycal token issue --all 发放。\n")
                        return
                    }
                    let ledger = try DeploymentOptions.open(ledgerPath, createIfMissing: false)
                    let tokens = try ledger.feedTokens().filter { revoked || $0.isValid }
                    let links = TokenLinks(base: base)
                    for token in tokens { Console.out(links.describe(token, in: deployment)) }
                    if tokens.isEmpty { Console.out("没有订阅令牌；用 dutycal token issue --all 发放。\n") }
                }
            }
        }

        /// `dutycal token revoke`: the token's links stop working at once.
        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Revoke a feed token: its links answer 404 from now on, also in a running server.")

            @OptionGroup var options: DeploymentOptions

            @Argument(help: "The token (the part of the link between /feeds/ and .ics).")
            var token: String

            func run() throws {
                let (_, deploymentPath, deployment) = try options.load()
                let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
                try withLedger {
                    let ledger = try DeploymentOptions.open(ledgerPath, createIfMissing: false)
                    guard let found = try ledger.revokeFeedToken(token, at: Date()) else {
                        Console.error("error: \(ledgerPath) has no feed token '\(token)'; dutycal token list shows the tokens (copy the part between /feeds/ and .ics)")
                        throw ExitCode(ExitStatus.usage)
                    }
                    let when = found.revokedAt.map { TokenLinks.timestamp($0) } ?? ""
                    Console.out("已吊销 \(TokenLinks.scopeText(found, in: deployment)) 的订阅令牌 \(TokenLinks.shortened(token))（\(when)）\n")
                }
            }
        }
    }
}

/// The scopes tokens are issued for, checked against the deployment.
enum TokenScopes {
    /// Every unit, every body of each, and every recipient.
    static func every(in deployment: Deployment) -> [Ledger.Scope] {
        deployment.units.flatMap { unit in
            [Ledger.Scope(unit: unit.id.rawValue)] + unit.bodies.map { Ledger.Scope(unit: unit.id.rawValue, body: $0.id) }
        } + deployment.units.flatMap { unit in
            unit.bodies.flatMap { body in body.recipients.map { Ledger.Scope(unit: unit.id.rawValue, body: body.id, subscriber: $0.email) } }
        }
    }

    /// The scope named on the command line; exit 64 naming the choices when it is not in the deployment.
    static func scope(unit: String?, body: String?, subscriber: String?, in deployment: Deployment) throws -> Ledger.Scope {
        if let subscriber {
            for unit in deployment.units {
                for body in unit.bodies where body.recipients.contains(where: { $0.email.lowercased() == subscriber.lowercased() }) {
                    let email = body.recipients.first { $0.email.lowercased() == subscriber.lowercased() }!.email
                    return Ledger.Scope(unit: unit.id.rawValue, body: body.id, subscriber: email)
                }
            }
            let emails = deployment.units.flatMap { $0.bodies.flatMap { $0.recipients.map(\.email) } }
            throw ValidationError("'\(subscriber)' is not a recipient of \(deployment.name)\(hint(subscriber, emails)); recipients: \(emails.joined(separator: " ")) (add them under recipients: in the deployment)")
        }
        let id = unit ?? ""
        guard let found = deployment.unit(UnitID(id)) else {
            throw ValidationError("unknown unit '\(id)'\(hint(id, deployment.units.map(\.id.rawValue))); units: \(deployment.units.map(\.id.rawValue).joined(separator: " "))")
        }
        guard let body else { return Ledger.Scope(unit: id) }
        guard let chosen = found.bodies.first(where: { $0.id == body || $0.name == body }) else {
            throw ValidationError("unit '\(id)' has no body '\(body)'\(hint(body, found.bodies.map(\.id))); its bodies: \(found.bodies.map(\.id).joined(separator: " "))")
        }
        return Ledger.Scope(unit: id, body: chosen.id)
    }

    private static func hint(_ word: String, _ options: [String]) -> String {
        Suggestion.nearest(to: word, in: options).map { " (did you mean '\($0)'?)" } ?? ""
    }
}

/// The links of a token, built from the deployment's public base URL.
struct TokenLinks {
    let base: String?

    /// `webcal://host/feeds/<token>.ics`: the link calendar apps subscribe to.
    func webcal(_ token: String) -> String? {
        guard let https = self.https(token) else { return nil }
        return "webcal://" + https.drop { $0 != ":" }.dropFirst(3)
    }

    func https(_ token: String) -> String? { base.map { "\($0)/feeds/\(token).ics" } }

    /// A token's scope and its links, as `token issue` and `token list` print them.
    func describe(_ token: Ledger.FeedToken, in deployment: Deployment) -> String {
        var text = "\(TokenLinks.scopeText(token, in: deployment))  发放于 \(TokenLinks.timestamp(token.createdAt))"
        if let revoked = token.revokedAt { text += "  已吊销 \(TokenLinks.timestamp(revoked))" }
        text += "\n  token   \(token.token)\n"
        if let base, let webcal = webcal(token.token), let https = https(token.token) {
            text += "  订阅     \(webcal)\n  https   \(https)\n  CSV     \(base)/feeds/\(token.token).csv\n"
            text += "  年度表   \(base)/units/\(token.token)/<年份>\n"
        }
        return text
    }

    /// `示例县 县安委办（王主任 anweiban@…）` or `county/anweiban` when the deployment no longer has it.
    static func scopeText(_ token: Ledger.FeedToken, in deployment: Deployment) -> String {
        guard let unit = deployment.unit(UnitID(token.unit)) else { return "\(token.unit)\(token.body.map { "/\($0)" } ?? "")（已不在部署中）" }
        var text = unit.name
        if let id = token.body { text += " " + (unit.bodies.first { $0.id == id }?.name ?? id) } else { text += " 全部责任主体" }
        if let subscriber = token.subscriber {
            let name = unit.bodies.flatMap(\.recipients).first { $0.email.lowercased() == subscriber.lowercased() }?.name
            text += "（收件人 \(name.map { "\($0) " } ?? "")\(subscriber)）"
        }
        return text + "  [\(token.unit)\(token.body.map { "/\($0)" } ?? "")]"
    }

    /// The first characters of a token, enough to recognise it in a message without leaking it.
    static func shortened(_ token: String) -> String { token.count > 8 ? "\(token.prefix(6))…" : token }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = Clock.shanghai
        return formatter.string(from: date)
    }
}
