/// The name of an asset: its layer and its table or dataset name, written `layer.name`
/// (e.g. `silver.coin_prices`). A table's name in SQLite is `name`.
public struct AssetKey: Hashable, Comparable, Sendable, TextCodable {
    public let layer: Layer
    public let name: String

    public init(_ layer: Layer, _ name: String) {
        self.layer = layer
        self.name = name
    }

    /// Parses `layer.name`; nil when the layer is unknown or the name is empty.
    public init?(parsing text: String) {
        guard let dot = text.firstIndex(of: "."),
              let layer = Layer(rawValue: String(text[..<dot])) else { return nil }
        let name = String(text[text.index(after: dot)...])
        guard !name.isEmpty else { return nil }
        self.init(layer, name)
    }

    public var description: String { "\(layer.rawValue).\(name)" }

    /// Layer order first (bronze, silver, gold), then name: the order listings and ties follow.
    public static func < (lhs: AssetKey, rhs: AssetKey) -> Bool { (lhs.layer, lhs.name) < (rhs.layer, rhs.name) }
}
