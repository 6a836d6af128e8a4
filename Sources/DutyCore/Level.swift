/// An administrative level a duty applies to.
public enum Level: String, CaseIterable, Sendable, Codable, Comparable {
    case national = "国家"
    case province = "省级"
    case prefecture = "市级"
    case county = "县级"
    case township = "乡镇"
    case village = "村"
    case enterprise = "企业"

    /// Reads a level from its Chinese name or its English name (`county`, `township`…).
    public init?(name: String) {
        if let level = Level(rawValue: name) {
            self = level
        } else if let level = Level.allCases.first(where: { $0.english == name }) {
            self = level
        } else {
            return nil
        }
    }

    /// English name, accepted on the command line.
    public var english: String {
        switch self {
        case .national: "national"
        case .province: "province"
        case .prefecture: "prefecture"
        case .county: "county"
        case .township: "township"
        case .village: "village"
        case .enterprise: "enterprise"
        }
    }

    /// Every accepted spelling, for "did you mean" hints.
    public static var allNames: [String] { allCases.flatMap { [$0.rawValue, $0.english] } }

    public static func < (lhs: Level, rhs: Level) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
