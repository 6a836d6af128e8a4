import Diagnostics
import Calendrical
import DutyCore
import Yams

/// Reads a deployment file: its units, their bodies and the roles each body holds.
enum DeploymentFile {
    static func read(_ root: Node, reader: inout YAMLReader) -> Deployment? {
        guard let top = reader.mapping(root, "a deployment file", allowed: ["deployment", "units", "templates"]),
              let headNode = reader.required(top, "deployment", in: "the deployment file", at: root),
              let head = reader.mapping(headNode, "deployment", allowed: ["name", "documents", "timezone", "feeds"])
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
                    feeds = FeedSettings(from: from, through: to, folder: folder)
                }
            }
        }
        guard let name else { return nil }
        return Deployment(name: name, documents: documents, units: units, feeds: feeds)
    }
}
