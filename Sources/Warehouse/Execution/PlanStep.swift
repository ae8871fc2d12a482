/// Why an asset runs, or that it does not.
public enum StaleReason: Equatable, Sendable, CustomStringConvertible {
    case neverBuilt
    case forced
    case versionChanged(from: String, to: String)
    case inputsChanged([String])
    case upstreamPending([AssetKey])
    /// The last build failed an error check: it is built again.
    case failedChecks(runID: String)
    /// The last build's data is committed but its checks and exports never finished (the run
    /// died): they run now, without rebuilding.
    case unfinished(runID: String)
    case upToDate

    public var isStale: Bool { self != .upToDate }

    /// Whether the asset's data is built again (an unfinished one only finishes its checks).
    public var rebuilds: Bool {
        if case .unfinished = self { return false }
        return isStale
    }

    public var description: String {
        switch self {
        case .neverBuilt: return "never built"
        case .forced: return "forced (--refresh)"
        case .versionChanged: return "code or SQL changed"
        case .inputsChanged(let names): return "input changed: \(names.joined(separator: ", "))"
        case .upstreamPending(let keys): return "upstream will be rebuilt: \(keys.map(\.description).joined(separator: ", "))"
        case .failedChecks(let runID): return "its last build (run \(runID)) failed an error check"
        case .unfinished(let runID): return "checks and exports of run \(runID) never finished"
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
