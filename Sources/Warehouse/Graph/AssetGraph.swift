/// A validated set of asset specs: every upstream declared, no cycles, and a stable
/// topological order (ties broken by layer, then alphabetically) that every listing and run follows.
public struct AssetGraph {
    public let specs: [AssetKey: AssetSpec]
    /// All keys in dependency order.
    public let order: [AssetKey]
    /// Direct downstream assets of each key.
    public let downstreams: [AssetKey: [AssetKey]]

    /// Validates and orders the specs.
    /// - Throws: `GraphError` for a duplicate, a missing upstream (with a "did you mean"), or a cycle (with its path).
    public init(_ specList: [AssetSpec]) throws {
        var specs: [AssetKey: AssetSpec] = [:]
        for spec in specList {
            guard specs[spec.key] == nil else { throw GraphError.duplicateAsset(spec.key) }
            specs[spec.key] = spec
        }
        for spec in specList.sorted(by: { $0.key < $1.key }) {
            for upstream in spec.upstreams where specs[upstream] == nil {
                throw GraphError.missingUpstream(asset: spec.key, upstream: upstream,
                                                 suggestion: Self.closest(to: upstream, in: Array(specs.keys)))
            }
        }
        var downstreams: [AssetKey: [AssetKey]] = [:]
        for spec in specList { for upstream in spec.upstreams { downstreams[upstream, default: []].append(spec.key) } }
        self.specs = specs
        self.downstreams = downstreams.mapValues { $0.sorted() }
        self.order = try Self.topologicalOrder(specs)
    }

    public subscript(key: AssetKey) -> AssetSpec? { specs[key] }

    /// Every key upstream of `key`, transitively, or up to `depth` hops (0: no limit).
    public func ancestors(of key: AssetKey, depth: Int = 0) -> Set<AssetKey> {
        closure(from: key, depth: depth) { specs[$0]?.upstreams ?? [] }
    }

    /// Every key downstream of `key`, transitively, or up to `depth` hops (0: no limit).
    public func descendants(of key: AssetKey, depth: Int = 0) -> Set<AssetKey> {
        closure(from: key, depth: depth) { downstreams[$0] ?? [] }
    }

    /// `keys` plus every asset that runs with its upstreams (`AssetSpec.runsWithUpstreams`)
    /// downstream of them, transitively, in graph order.
    public func addingFollowers(_ keys: [AssetKey]) -> [AssetKey] {
        var selected = Set(keys)
        for key in order where !selected.contains(key) {
            if let spec = specs[key], spec.runsWithUpstreams, spec.upstreams.contains(where: selected.contains) { selected.insert(key) }
        }
        return order.filter(selected.contains)
    }

    /// Breadth first, so a depth limit counts the shortest path.
    private func closure(from key: AssetKey, depth: Int, next: (AssetKey) -> [AssetKey]) -> Set<AssetKey> {
        var seen = Set<AssetKey>()
        var frontier = next(key), hops = 1
        while !frontier.isEmpty, depth == 0 || hops <= depth {
            frontier = frontier.filter { seen.insert($0).inserted }.flatMap(next)
            hops += 1
        }
        return seen
    }

    /// Kahn's algorithm with a sorted ready set (layer, then name), so the order never depends on hashing.
    private static func topologicalOrder(_ specs: [AssetKey: AssetSpec]) throws -> [AssetKey] {
        var remaining = specs.mapValues { Set($0.upstreams) }
        var order: [AssetKey] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.value.isEmpty }.keys.sorted()
            guard let next = ready.first else { throw GraphError.cycle(findCycle(specs, among: Set(remaining.keys))) }
            order.append(next)
            remaining[next] = nil
            for key in remaining.keys { remaining[key]?.remove(next) }
        }
        return order
    }

    /// A concrete cycle among the unordered keys, written as a path that returns to its start.
    private static func findCycle(_ specs: [AssetKey: AssetSpec], among keys: Set<AssetKey>) -> [AssetKey] {
        var path: [AssetKey] = []
        var current = keys.min()!
        while !path.contains(current) {
            path.append(current)
            current = specs[current]!.upstreams.filter(keys.contains).min()!
        }
        let loop = Array(path[path.firstIndex(of: current)!...]) + [current]
        return loop.reversed()
    }

    /// The declared key nearest by edit distance, if close enough to be a likely typo.
    public static func closest(to key: AssetKey, in keys: [AssetKey]) -> AssetKey? {
        let target = key.description
        let scored = keys.map { ($0, EditDistance.between(target, $0.description)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = scored.first, best.1 <= max(3, target.count / 3) else { return nil }
        return best.0
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
