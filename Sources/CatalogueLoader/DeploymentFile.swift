import Diagnostics
import Calendrical
import DutyCore
import Yams

/// Reads a deployment file: its units, their bodies and the roles each body holds.
enum DeploymentFile {
    static func read(_ root: Node, reader: inout YAMLReader) -> Deployment? {
        guard let top = reader.mapping(root, "a deployment file", allowed: ["deployment", "units", "recipients"]),
              let headNode = reader.required(top, "deployment", in: "the deployment file", at: root),
              let head = reader.mapping(headNode, "deployment", allowed: ["name", "documents", "timezone", "feeds", "ledger", "mail", "server"])
        else { return nil }
        let name = reader.string(reader.required(head, "name", in: "deployment", at: headNode), "deployment name")
        if let zone = reader.string(head["timezone"], "timezone"), zone != "Asia/Shanghai" {
            reader.error("timezone '\(zone)' is not supported: duties are civil dates in Asia/Shanghai", at: head["timezone"])
        }
        let documents = reader.strings(head["documents"], "documents")?.map { DocumentID($0) }
        var units: [Unit] = []
        var unitIDs: Set<String> = []
        for node in reader.sequence(reader.required(top, "units", in: "the deployment file", at: root), "units") ?? [] {
            guard let map = reader.mapping(node, "a unit", allowed: ["id", "name", "level", "bodies"]) else { continue }
            let idNode = reader.required(map, "id", in: "a unit", at: node)
            guard let id = reader.string(idNode, "unit id") else { continue }
            if !UnitID.isValid(id) { reader.error("unit id '\(id)' must be ASCII a-z, 0-9 and '-'", at: idNode) }
            if !unitIDs.insert(id).inserted { reader.error("unit id '\(id)' is used twice", at: idNode) }
            let unitName = reader.string(reader.required(map, "name", in: "unit '\(id)'", at: node), "unit name")
            let level = reader.choice(reader.required(map, "level", in: "unit '\(id)'", at: node), "level", Level.allNames, Level.init(name:))
            var bodies: [Body] = []
            var bodyIDs: Set<String> = []
            for bodyNode in reader.sequence(reader.required(map, "bodies", in: "unit '\(id)'", at: node), "bodies of '\(id)'") ?? [] {
                guard let b = reader.mapping(bodyNode, "a body of unit '\(id)'", allowed: ["id", "name", "roles"]) else { continue }
                let bodyIDNode = reader.required(b, "id", in: "a body of unit '\(id)'", at: bodyNode)
                guard let bodyID = reader.string(bodyIDNode, "body id"),
                      let bodyName = reader.string(reader.required(b, "name", in: "body '\(bodyID)'", at: bodyNode), "body name"),
                      let roles = reader.strings(reader.required(b, "roles", in: "body '\(bodyID)'", at: bodyNode), "roles")
                else { continue }
                if !UnitID.isValid(bodyID) { reader.error("body id '\(bodyID)' must be ASCII a-z, 0-9 and '-'", at: bodyIDNode) }
                if !bodyIDs.insert(bodyID).inserted { reader.error("body id '\(bodyID)' is used twice in unit '\(id)'", at: bodyIDNode) }
                bodies.append(Body(id: bodyID, name: bodyName, roles: roles))
            }
            guard let unitName, let level else { continue }
            units.append(Unit(id: UnitID(id), name: unitName, level: level, bodies: bodies))
        }
        var feeds: FeedSettings?
        if let node = head["feeds"], let map = reader.mapping(node, "feeds", allowed: ["from", "to", "folder"]) {
            let from = reader.date(reader.required(map, "from", in: "feeds", at: node), "feeds from")
            let to = reader.date(reader.required(map, "to", in: "feeds", at: node), "feeds to")
            let folder = reader.string(reader.required(map, "folder", in: "feeds", at: node), "feeds folder")
            if let from, let to, let folder {
                if to < from {
                    reader.error("feeds: to \(to) is before from \(from)", at: map["to"])
                } else {
                    feeds = FeedSettings(from: from, through: to, folder: resolve(folder, reader.file))
                }
            }
        }
        units = attachRecipients(top["recipients"], to: units, &reader)
        let ledger = reader.string(head["ledger"], "ledger").map { resolve($0, reader.file) }
        let mail = head["mail"].flatMap { readMail($0, &reader) }
        let server = head["server"].flatMap { readServer($0, &reader) }
        guard let name else { return nil }
        return Deployment(name: name, documents: documents, units: units, feeds: feeds, ledger: ledger, mail: mail, server: server)
    }

    /// Reads `server: {host, port, public_url, feed: {months_back, months_ahead}}`.
    static func readServer(_ node: Node, _ reader: inout YAMLReader) -> ServerSettings? {
        guard let map = reader.mapping(node, "server", allowed: ["host", "port", "public_url", "feed"]) else { return nil }
        let defaults = ServerSettings()
        var valid = true
        let host = reader.string(map["host"], "server host") ?? defaults.host
        if host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "/" }) {
            reader.error("server host '\(host)' is not a host name or address: write e.g. 127.0.0.1 (behind a reverse proxy) or 0.0.0.0", at: map["host"])
            valid = false
        }
        func integer(_ node: Node?, _ what: String, _ range: ClosedRange<Int>, _ fallback: Int) -> Int {
            guard let node else { return fallback }
            guard let text = reader.string(node, what) else { valid = false; return fallback }
            guard let value = Int(text), range.contains(value) else {
                reader.error("\(what) '\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: node)
                valid = false
                return fallback
            }
            return value
        }
        let port = integer(map["port"], "server port", 1...65535, defaults.port)
        var publicURL = reader.string(map["public_url"], "server public_url")
        if let url = publicURL {
            let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
            let rest = trimmed.drop { $0 != ":" }
            guard trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://"), rest.count > 3,
                  !trimmed.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }), trimmed.allSatisfy(\.isASCII) else {
                reader.error("server public_url '\(url)' must be an https:// (or http://) address without query, e.g. https://rili.example-county.gov.cn", at: map["public_url"])
                return nil
            }
            publicURL = trimmed
        }
        var back = defaults.monthsBack, ahead = defaults.monthsAhead
        if let feedNode = map["feed"], let feed = reader.mapping(feedNode, "server feed", allowed: ["months_back", "months_ahead"]) {
            back = integer(feed["months_back"], "server feed months_back", 0...120, back)
            ahead = integer(feed["months_ahead"], "server feed months_ahead", 0...120, ahead)
        }
        guard valid else { return nil }
        return ServerSettings(host: host, port: port, publicURL: publicURL, monthsBack: back, monthsAhead: ahead)
    }

    /// Reads the `recipients:` list (each names a unit and a body) into the units' bodies.
    static func attachRecipients(_ node: Node?, to units: [Unit], _ reader: inout YAMLReader) -> [Unit] {
        var byBody: [String: [Recipient]] = [:]
        var seen: Set<String> = []
        // The ledger keeps one digest per address and day, so an address serves one body.
        var bodyOfAddress: [String: String] = [:]
        for item in reader.sequence(node, "recipients") ?? [] {
            guard let map = reader.mapping(item, "a recipient", allowed: ["unit", "body", "name", "email", "cadence"]),
                  let unitID = reader.string(reader.required(map, "unit", in: "a recipient", at: item), "unit"),
                  let bodyID = reader.string(reader.required(map, "body", in: "a recipient", at: item), "body")
            else { continue }
            guard let unit = units.first(where: { $0.id.rawValue == unitID }) else {
                let hint = Suggestion.nearest(to: unitID, in: units.map(\.id.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error("recipient names unit '\(unitID)', which the deployment does not have\(hint)", at: map["unit"])
                continue
            }
            guard unit.bodies.contains(where: { $0.id == bodyID }) else {
                let hint = Suggestion.nearest(to: bodyID, in: unit.bodies.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error("recipient names body '\(bodyID)', which unit '\(unitID)' does not have\(hint)", at: map["body"])
                continue
            }
            guard let recipient = readRecipient(item, map, &reader) else { continue }
            if !seen.insert("\(unitID)/\(bodyID)/\(recipient.email)").inserted {
                reader.error("\(recipient.email) is listed twice for \(unitID)/\(bodyID)", at: map["email"])
                continue
            }
            if let other = bodyOfAddress[recipient.email.lowercased()], other != "\(unitID)/\(bodyID)" {
                reader.error("""
                    \(recipient.email) already receives the digest of \(other); an address receives one body's digest \
                    (one message a day), so give \(unitID)/\(bodyID) another address, e.g. the office's own mailbox
                    """, at: map["email"])
                continue
            }
            bodyOfAddress[recipient.email.lowercased()] = "\(unitID)/\(bodyID)"
            byBody["\(unitID)/\(bodyID)", default: []].append(recipient)
        }
        return units.map { unit in
            Unit(id: unit.id, name: unit.name, level: unit.level, bodies: unit.bodies.map { body in
                Body(id: body.id, name: body.name, roles: body.roles, recipients: byBody["\(unit.id)/\(body.id)"] ?? [])
            })
        }
    }

    static func readRecipient(_ node: Node, _ map: [String: Node], _ reader: inout YAMLReader) -> Recipient? {
        let name = reader.string(reader.required(map, "name", in: "a recipient", at: node), "recipient name")
        let emailNode = reader.required(map, "email", in: "a recipient", at: node)
        let email = reader.string(emailNode, "email")
        if let email, !isAddress(email) {
            reader.error("email '\(email)' is not an address like name@example.gov.cn (ASCII, one @)", at: emailNode)
            return nil
        }
        let cadence = (reader.sequence(map["cadence"], "cadence") ?? []).compactMap {
            reader.choice($0, "cadence", Cadence.allCases.map(\.rawValue), Cadence.init(rawValue:))
        }
        guard let name, let email else { return nil }
        return Recipient(name: name, email: email, cadence: cadence.isEmpty ? [.daily, .weekly, .monthly] : Set(cadence))
    }

    static func readMail(_ node: Node, _ reader: inout YAMLReader) -> MailSettings? {
        guard let map = reader.mapping(node, "mail", allowed: ["from_name", "from", "transport", "sendmail", "smtp", "maildir"]) else { return nil }
        let fromName = reader.string(map["from_name"], "from_name") ?? "履职日历"
        let fromNode = reader.required(map, "from", in: "mail", at: node)
        let from = reader.string(fromNode, "from")
        if let from, !isAddress(from) {
            reader.error("mail from '\(from)' is not an address like dutycal@example.gov.cn", at: fromNode)
        }
        let kinds = ["sendmail", "smtp", "maildir"]
        let kind = reader.choice(map["transport"] ?? .scalar(.init("sendmail")), "transport", kinds) { kinds.contains($0) ? $0 : nil }
        let transport: MailTransportSetting?
        switch kind {
        case "sendmail":
            transport = .sendmail(reader.strings(map["sendmail"], "sendmail") ?? ["sendmail", "-t", "-i"])
        case "smtp":
            guard let smtpNode = reader.required(map, "smtp", in: "mail (transport smtp)", at: node),
                  let smtp = reader.mapping(smtpNode, "smtp", allowed: ["url", "starttls", "user", "password_env", "password_file", "ca_file"]),
                  let url = reader.string(reader.required(smtp, "url", in: "smtp", at: smtpNode), "smtp url")
            else { return nil }
            guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
                reader.error("smtp url '\(url)' must start with smtp:// or smtps://", at: smtp["url"])
                return nil
            }
            let starttls = reader.choice(smtp["starttls"] ?? .scalar(.init("true")), "starttls", ["true", "false"]) { ["true": true, "false": false][$0] } ?? true
            transport = .smtp(url: url, starttls: starttls, user: reader.string(smtp["user"], "user"),
                              passwordEnvironment: reader.string(smtp["password_env"], "password_env"),
                              passwordFile: reader.string(smtp["password_file"], "password_file").map { resolve($0, reader.file) },
                              caFile: reader.string(smtp["ca_file"], "ca_file").map { resolve($0, reader.file) })
        case "maildir":
            transport = reader.string(reader.required(map, "maildir", in: "mail (transport maildir)", at: node), "maildir").map { .maildir(resolve($0, reader.file)) }
        default:
            transport = nil
        }
        guard let transport, let from, isAddress(from) else { return nil }
        return MailSettings(fromName: fromName, fromAddress: from, transport: transport)
    }

    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "<" && $0 != ">" }
    }

    /// A path from a deployment file, relative to that file's folder unless absolute.
    static func resolve(_ path: String, _ file: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var parts = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
        for piece in path.split(separator: "/") {
            if piece == ".." , let last = parts.last, !last.isEmpty, last != "..", last != "." { parts.removeLast() }
            else if piece != "." { parts.append(String(piece)) }
        }
        let joined = parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }
}
