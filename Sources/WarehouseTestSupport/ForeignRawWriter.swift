import Foundation
import Warehouse

/// Writes raw files the way another tool would: straight into the contract layout, with a
/// hand-made `.meta.json`, not through `RawStore`.
public enum ForeignRawWriter {
    @discardableResult
    public static func write(_ body: Data, root: TemporaryRoot, day: String, dataset: String, key: String,
                             params: [String: String] = [:], fetchedAt: String? = nil, gzip: Bool = false) throws -> String {
        let folder = root.url.appendingPathComponent("raw/\(day)/\(dataset)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = "\(key).json" + (gzip ? ".gz" : "")
        try (gzip ? try Gzip.compress(body) : body).write(to: folder.appendingPathComponent(name))
        let meta: [String: Any] = ["url": "https://api.example/\(dataset)/\(key)", "status": 200,
                                   "fetched_at": fetchedAt ?? "\(day)T06:00:00Z", "sha256": Fingerprint.sha256(body),
                                   "bytes": body.count, "params": params]
        try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys]).write(to: folder.appendingPathComponent("\(key).meta.json"))
        return "raw/\(day)/\(dataset)/\(name)"
    }

    /// One point of a hand-made market chart; nil values are written as `null`.
    public struct Point {
        public let ms: Int64
        public let price: Double?
        public let marketCap: Double?
        public let volume: Double?
        public init(_ ms: Int64, _ price: Double?, _ marketCap: Double?, _ volume: Double?) {
            self.ms = ms; self.price = price; self.marketCap = marketCap; self.volume = volume
        }
    }

    /// A market_chart body from points.
    public static func marketChart(_ points: [Point]) -> Data {
        func list(_ value: KeyPath<Point, Double?>) -> String {
            let pairs = points.map { point -> String in
                let text = point[keyPath: value].map { "\($0)" } ?? "null"
                return "[\(point.ms),\(text)]"
            }
            return "[" + pairs.joined(separator: ",") + "]"
        }
        let body = "{\"prices\":" + list(\.price) + ",\"market_caps\":" + list(\.marketCap) + ",\"total_volumes\":" + list(\.volume) + "}"
        return Data(body.utf8)
    }
}
