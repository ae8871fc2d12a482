import Foundation
import Warehouse

/// Builds a bronze asset spec from the requests it needs: it is stale while any of them is
/// missing from the raw cache, and building it fetches exactly those.
public enum BronzeAsset {
    /// Bumped whenever what the connectors request changes.
    static let version = "bronze-2"

    /// - Parameter source: whose fetcher the build asks the run's `SourceFetchers` for.
    public static func spec(_ key: AssetKey, summary: String, tags: Set<String>, upstreams: [AssetKey] = [],
                            source: String, requests: @escaping (BuildContext) throws -> [RawRequest]) -> AssetSpec {
        let dataset = RawDataset(asset: key)
        func pendingInputs(_ context: BuildContext) throws -> [String: String] {
            let all = try requests(context)
            let missing = Fetcher.uncached(all, store: context.raw, clock: context.clock)
            return ["requests": "\(missing.count) of \(all.count) missing on \(context.clock.today)"]
        }
        return AssetSpec(
            key: key, upstreams: upstreams, tags: tags.union([source]), summary: summary, version: version,
            inputs: pendingInputs,
            build: { context in
                let fetcher = try context.resource(SourceFetchers.self).fetcher(for: source)
                let stats = try fetcher.fetch(try requests(context), context: context, replan: { try requests(context) })
                let files = try context.raw.snapshots(of: dataset).count
                var outcome = BuildOutcome(rows: files, inputsAfter: try pendingInputs(context))
                outcome.add(stats)
                return outcome
            })
    }
}
