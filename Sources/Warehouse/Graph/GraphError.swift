/// A graph that cannot be built: named, with the fix.
public enum GraphError: WarehouseError, Equatable {
    case duplicateAsset(AssetKey)
    case missingUpstream(asset: AssetKey, upstream: AssetKey, suggestion: AssetKey?)
    case cycle([AssetKey])

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .duplicateAsset(let key):
            return ("asset \(key) is declared twice", "give each asset one declaration")
        case .missingUpstream(let asset, let upstream, let suggestion):
            let hint = suggestion.map { " Did you mean \($0)?" } ?? ""
            return ("asset \(asset) depends on \(upstream), which is not declared.\(hint)", "declare \(upstream) or correct the upstream name")
        case .cycle(let path):
            return ("the asset graph has a cycle: \(path.map(\.description).joined(separator: " -> "))", "remove one of these dependencies")
        }
    }
}
