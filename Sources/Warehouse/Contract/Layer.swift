/// The medallion layers, in build order.
public enum Layer: String, CaseIterable, Comparable, Sendable, Codable {
    case bronze, silver, gold

    public static func < (lhs: Layer, rhs: Layer) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
