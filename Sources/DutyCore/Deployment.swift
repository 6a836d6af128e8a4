public import Calendrical

/// A deployment: the units (a county and its townships…) and the bodies in each, which
/// decides which duties apply where.
public struct Deployment: Sendable {
    /// Display name (示例县).
    public let name: String
    /// The documents whose duties apply; nil for all.
    public let documents: [DocumentID]?
    /// The units, in file order.
    public let units: [Unit]
    /// The ready-to-subscribe feeds `dutycal feeds` regenerates, if the deployment has any.
    public let feeds: FeedSettings?
    /// The ledger database (completions, events, reminders sent), resolved against the
    /// deployment file's folder.
    public let ledger: String?
    /// How digests are sent.
    public let mail: MailSettings?
    /// How `dutycal serve` listens and the public address of its feeds.
    public let server: ServerSettings?

    /// A deployment.
    public init(name: String, documents: [DocumentID]?, units: [Unit], feeds: FeedSettings? = nil,
                ledger: String? = nil, mail: MailSettings? = nil, server: ServerSettings? = nil) {
        self.name = name
        self.documents = documents
        self.units = units
        self.feeds = feeds
        self.ledger = ledger
        self.mail = mail
        self.server = server
    }

    /// The unit with this id.
    public func unit(_ id: UnitID) -> Unit? { units.first { $0.id == id } }

    /// The occurrences that fall to each unit and body, in the expander's order: an
    /// occurrence applies when its level is the unit's and its entry's body is one of a
    /// body's roles. Expansion is shared: `occurrences` comes from one catalogue-wide run.
    public func assign(_ occurrences: [Occurrence], catalogue: Catalogue, units selected: [Unit]? = nil,
                       bodies bodyFilter: Set<String>? = nil) -> [Assignment] {
        var result: [Assignment] = []
        assignments(occurrences, catalogue: catalogue, units: selected, bodies: bodyFilter) { result += $1 }
        return result
    }

    /// The same assignments as `assign`, handed to `body` one unit at a time (in order), so
    /// that a large deployment's are never all held at once. The occurrences are sorted
    /// out by level, document and role once for all units.
    public func assignments<E: Error>(_ occurrences: [Occurrence], catalogue: Catalogue, units selected: [Unit]? = nil,
                                      bodies bodyFilter: Set<String>? = nil,
                                      _ body: (Unit, [Assignment]) throws(E) -> Void) throws(E) {
        let allowed = documents.map(Set.init)
        // Level → the occurrences at that level with their entry's body, in order.
        var byLevel: [Level: [(occurrence: Occurrence, role: String)]] = [:]
        for unit in selected ?? units {
            if byLevel[unit.level] == nil {
                byLevel[unit.level] = occurrences.compactMap { occurrence in
                    guard occurrence.levels.contains(unit.level), let duty = catalogue.duty(occurrence.duty) else { return nil }
                    if let allowed, !allowed.contains(duty.document) { return nil }
                    return (occurrence, duty.entries[occurrence.entry].body)
                }
            }
            // Role → bodies of this unit holding it.
            var holders: [String: [Body]] = [:]
            for body in unit.bodies where body.isSelected(by: bodyFilter) {
                for role in body.roles { holders[role, default: []].append(body) }
            }
            var result: [Assignment] = []
            for (occurrence, role) in byLevel[unit.level] ?? [] {
                // A deadline that follows an event recorded for one unit is that unit's alone.
                if let eventUnit = occurrence.event?.unit, eventUnit != unit.id { continue }
                for body in holders[role] ?? [] {
                    result.append(Assignment(unit: unit, body: body, occurrence: occurrence))
                }
            }
            try body(unit, result)
        }
    }
}

/// A unit of a deployment: the county, a township, a department's office.
public struct Unit: Hashable, Sendable, Identifiable {
    /// Stable id (goes into calendar UIDs).
    public let id: UnitID
    /// Name (示例县, 城关镇).
    public let name: String
    /// Its administrative level.
    public let level: Level
    /// Its bodies.
    public let bodies: [Body]

    /// A unit.
    public init(id: UnitID, name: String, level: Level, bodies: [Body]) {
        self.id = id
        self.name = name
        self.level = level
        self.bodies = bodies
    }
}

/// A body of a unit (县委常委会, 县应急管理局) and the duty bodies (roles) it answers for.
public struct Body: Hashable, Sendable {
    /// Stable id within the unit (goes into calendar UIDs).
    public let id: String
    /// Its name as people write it.
    public let name: String
    /// The `body` names of catalogue duties it is responsible for.
    public let roles: [String]
    /// Who receives this body's digests.
    public let recipients: [Recipient]

    /// A body.
    public init(id: String, name: String, roles: [String], recipients: [Recipient] = []) {
        self.id = id
        self.name = name
        self.roles = roles
        self.recipients = recipients
    }
}

/// An occurrence falling to one body of one unit.
public struct Assignment: Hashable, Sendable {
    /// The unit.
    public let unit: Unit
    /// The responsible body.
    public let body: Body
    /// The occurrence.
    public let occurrence: Occurrence

    /// An assignment.
    public init(unit: Unit, body: Body, occurrence: Occurrence) {
        self.unit = unit
        self.body = body
        self.occurrence = occurrence
    }

    /// `unit/body/duty@period`: stable across runs and unique in a deployment.
    public var id: String { "\(unit.id)/\(body.id)/\(occurrence.key)" }
}

/// Where and for which years a deployment's committed feeds are generated.
public struct FeedSettings: Hashable, Sendable {
    /// First day covered.
    public let from: CivilDate
    /// Last day covered.
    public let through: CivilDate
    /// The folder the feeds go to, relative to the working directory (e.g. Calendars/feeds).
    public let folder: String

    /// Feed settings.
    public init(from: CivilDate, through: CivilDate, folder: String) {
        self.from = from
        self.through = through
        self.folder = folder
    }
}

/// The subscription server's settings (`server:` under `deployment:`).
public struct ServerSettings: Hashable, Sendable {
    /// The address to listen on; 127.0.0.1 by default (a reverse proxy in front adds TLS).
    public let host: String
    /// The TCP port.
    public let port: Int
    /// The public base URL clients reach the server at, e.g. `https://rili.example.gov.cn`
    /// (no trailing slash); feed links are built from it.
    public let publicURL: String?
    /// Whole months before the current month that served feeds cover.
    public let monthsBack: Int
    /// Whole months after the current month that served feeds cover.
    public let monthsAhead: Int

    /// Server settings.
    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, monthsBack: Int = 3, monthsAhead: Int = 15) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.monthsBack = monthsBack
        self.monthsAhead = monthsAhead
    }
}

/// A person who receives a body's digests by email.
public struct Recipient: Hashable, Sendable {
    /// Display name (王主任).
    public let name: String
    /// Email address (ASCII).
    public let email: String
    /// Which digests they get.
    public let cadence: Set<Cadence>

    /// A recipient.
    public init(name: String, email: String, cadence: Set<Cadence>) {
        self.name = name
        self.email = email
        self.cadence = cadence
    }
}

/// How often a recipient gets a digest.
public enum Cadence: String, CaseIterable, Sendable, Hashable, Comparable {
    /// On each day something falls due, is newly due soon, or is overdue.
    case daily
    /// A summary every Monday.
    case weekly
    /// An overview on the 1st of each month.
    case monthly

    /// Chinese name.
    public var chinese: String {
        switch self {
        case .daily: "每日提醒"
        case .weekly: "每周汇总"
        case .monthly: "每月概览"
        }
    }

    public static func < (lhs: Cadence, rhs: Cadence) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How digests leave the machine.
public struct MailSettings: Hashable, Sendable {
    /// The sender.
    public let fromName: String
    /// The sender's address; also the domain of Message-IDs.
    public let fromAddress: String
    /// The transport.
    public let transport: MailTransportSetting

    /// Mail settings.
    public init(fromName: String, fromAddress: String, transport: MailTransportSetting) {
        self.fromName = fromName
        self.fromAddress = fromAddress
        self.transport = transport
    }
}

/// Where digests are handed over.
public enum MailTransportSetting: Hashable, Sendable {
    /// Piped to a sendmail-compatible command (`sendmail -t -i`: postfix, exim, msmtp).
    case sendmail([String])
    /// Sent over SMTP, with STARTTLS and AUTH when set; the password comes from the
    /// environment variable or file named; `caFile` trusts a private certificate authority.
    case smtp(url: String, starttls: Bool, user: String?, passwordEnvironment: String?, passwordFile: String?, caFile: String?)
    /// Written into a Maildir folder (for inspection).
    case maildir(String)
}

extension Body {
    /// Whether a body filter (`--body`: names, ids or roles) selects this body; nil selects every body.
    func isSelected(by filter: Set<String>?) -> Bool {
        filter.map { $0.contains(name) || $0.contains(id) || !$0.isDisjoint(with: roles) } ?? true
    }
}
