/// Why an asset runs, or that it does not.
public enum StaleReason: Equatable, Sendable, CustomStringConvertible {
    case neverBuilt
    case forced
    case versionChanged(from: String, to: String)
    case inputsChanged([String])
    case upstreamPending([AssetKey])
    case upToDate

    public var isStale: Bool { self != .upToDate }

    public var description: String {
        switch self {
        case .neverBuilt: return "never built"
        case .forced: return "forced (--refresh)"
        case .versionChanged: return "code or SQL changed"
        case .inputsChanged(let names): return "input changed: \(names.joined(separator: ", "))"
        case .upstreamPending(let keys): return "upstream will be rebuilt: \(keys.map(\.description).joined(separator: ", "))"
        case .upToDate: return "up to date"
        }
    }
}

/// One asset's place in a plan.
public struct PlanStep: Sendable {
    public let key: AssetKey
    public let reason: StaleReason
    public var willRun: Bool { reason.isStale }
}
