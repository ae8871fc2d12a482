/// A graph that cannot be built: named, with the fix.
public enum GraphError: Error, CustomStringConvertible, Equatable {
    case duplicateAsset(AssetKey)
    case missingUpstream(asset: AssetKey, upstream: AssetKey, suggestion: AssetKey?)
    case cycle([AssetKey])

    public var description: String {
        switch self {
        case .duplicateAsset(let key):
            return "asset \(key) is declared twice. To fix this, give each asset one declaration."
        case .missingUpstream(let asset, let upstream, let suggestion):
            var text = "asset \(asset) depends on \(upstream), which is not declared."
            if let suggestion { text += " Did you mean \(suggestion)?" }
            return text + " To fix this, declare \(upstream) or correct the upstream name."
        case .cycle(let path):
            return "the asset graph has a cycle: \(path.map(\.description).joined(separator: " -> ")). To fix this, remove one of these dependencies."
        }
    }
}
