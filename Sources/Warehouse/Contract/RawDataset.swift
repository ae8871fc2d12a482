/// Where a bronze asset's snapshots live: `raw/<date>/<source>/<dataset>/`.
/// The asset name splits at its first underscore: `coingecko_market_chart` -> `coingecko/market_chart`.
public struct RawDataset: Hashable, Sendable, CustomStringConvertible {
    public let source: String
    public let dataset: String

    public init(source: String, dataset: String) {
        self.source = source
        self.dataset = dataset
    }

    /// The dataset of a bronze asset, by the contract's naming rule.
    public init(asset: AssetKey) {
        precondition(asset.layer == .bronze, "only bronze assets have raw datasets")
        if let underscore = asset.name.firstIndex(of: "_") {
            self.init(source: String(asset.name[..<underscore]),
                      dataset: String(asset.name[asset.name.index(after: underscore)...]))
        } else {
            self.init(source: asset.name, dataset: "default")
        }
    }

    public var description: String { "\(source)/\(dataset)" }
}
