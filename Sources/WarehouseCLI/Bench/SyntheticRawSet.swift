import Foundation
import Warehouse

/// Writes a synthetic raw set for the benchmark: market_chart/range bodies in the contract
/// layout (hourly points in windows of 89 days, like the real connector fetches them).
struct SyntheticRawSet {
    let coins: Int
    let pointsPerCoin: Int

    /// The most hourly points a coin can have: 50 years back from the benchmark's day (2026),
    /// which stays after 1970, the earliest time silver accepts.
    static let maximumPointsPerCoin = 50 * 365 * 24

    /// Writes every file and returns the total body bytes.
    func write(to layout: WarehouseLayout, day: Day) throws -> Int {
        let store = RawStore(layout: layout)
        let dataset = RawDataset(source: "coingecko", dataset: "market_chart")
        let window = 89 * 24
        let start: Int64 = day.startUnixSeconds * 1000 - Int64(pointsPerCoin) * 3_600_000
        var bytes = 0
        for coin in 0..<coins {
            var state = UInt64(coin + 1) &* 0x9E37_79B9_7F4A_7C15
            var price = 1.0 + Double(coin % 97)
            var offset = 0
            while offset < pointsPerCoin {
                let count = min(window, pointsPerCoin - offset)
                var points: [(Int64, Double, Double, Double)] = []
                points.reserveCapacity(count)
                for i in 0..<count {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    price *= 1 + (Double(state >> 11) * 0x1.0p-53 - 0.5) * 0.02
                    let ts = start + Int64(offset + i) * 3_600_000 + Int64(state % 60_000)
                    points.append((ts, price, price * 1e7, price * 3e5))
                }
                let body = Self.body(points)
                let key = offset + count >= pointsPerCoin ? "coin-\(coin)" : "coin-\(coin)@w\(offset / window)"
                let meta = SnapshotMeta(url: "synthetic", status: 200, fetchedAt: ISO8601.format(Date(timeIntervalSince1970: Double(day.startUnixSeconds))),
                                        sha256: Fingerprint.sha256(body), bytes: body.count,
                                        params: ["vs_currency": "usd", "from": "\(points.first!.0 / 1000)", "to": "\(points.last!.0 / 1000)"])
                try store.write(body: body, meta: meta, dataset: dataset, key: key, day: day)
                bytes += body.count
                offset += count
            }
        }
        return bytes
    }

    static func body(_ points: [(Int64, Double, Double, Double)]) -> Data {
        var text = [UInt8]()
        text.reserveCapacity(points.count * 100)
        for (index, name) in ["prices", "market_caps", "total_volumes"].enumerated() {
            text.append(contentsOf: Array((index == 0 ? "{\"" : ",\"").utf8) + Array(name.utf8) + Array("\":[".utf8))
            for (i, point) in points.enumerated() {
                if i > 0 { text.append(UInt8(ascii: ",")) }
                let value = index == 0 ? point.1 : (index == 1 ? point.2 : point.3)
                text.append(contentsOf: Array("[\(point.0),\(value)]".utf8))
            }
            text.append(UInt8(ascii: "]"))
        }
        text.append(UInt8(ascii: "}"))
        return Data(text)
    }
}
