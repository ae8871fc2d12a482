import Foundation
import Warehouse

/// One market_chart body as typed rows, with what could not be used and why.
struct MarketChart {
    struct Point {
        let ts: Int64
        let price: Double
        let marketCap: Double?
        let volume: Double?
    }

    var points: [Point] = []
    /// (locator, reason) for every point set aside.
    var rejects: [(String, String)] = []

    /// Parses `{"prices": [[ms, v], ...], "market_caps": [...], "total_volumes": [...]}` with the
    /// byte scanner. Points without a usable price are rejected; a missing market cap or volume
    /// is NULL. Numbers written as strings are accepted.
    /// - Throws: `JSONSyntaxError` when the body is not that shape at all.
    static func parse(_ body: Data) throws -> MarketChart {
        var prices: [(Int64, Double?, String?)] = []
        var caps: [(Int64, Double?, String?)] = []
        var volumes: [(Int64, Double?, String?)] = []
        var sawPrices = false
        try body.withUnsafeBytes { buffer in
            var cursor = JSONCursor(buffer)
            try cursor.expect(UInt8(ascii: "{"))
            if cursor.consume(UInt8(ascii: "}")) { return }
            repeat {
                let name = try cursor.readString()
                try cursor.expect(UInt8(ascii: ":"))
                switch name {
                case "prices": prices = try readPairs(&cursor); sawPrices = true
                case "market_caps": caps = try readPairs(&cursor)
                case "total_volumes": volumes = try readPairs(&cursor)
                default: try cursor.skipValue()
                }
            } while cursor.consume(UInt8(ascii: ","))
            try cursor.expect(UInt8(ascii: "}"))
            guard cursor.atEnd() else { throw cursor.syntaxError("trailing data after the document") }
        }
        guard sawPrices else { throw JSONSyntaxError(offset: 0, message: "no \"prices\" array: not a market_chart body") }
        var chart = MarketChart()
        chart.points.reserveCapacity(prices.count)
        let capsAligned = caps.count == prices.count
        let volumesAligned = volumes.count == prices.count
        lazy var capByTs = Dictionary(caps.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        lazy var volumeByTs = Dictionary(volumes.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        for (i, (ts, price, problem)) in prices.enumerated() {
            guard let price, price.isFinite, price > 0 else {
                let reason = problem ?? (price == nil ? "price is null" : "price \(price!) is not a positive number")
                chart.rejects.append(("prices[\(i)]", reason))
                continue
            }
            guard ts > 0 else {
                chart.rejects.append(("prices[\(i)]", "timestamp \(ts) is not a positive Unix time in milliseconds"))
                continue
            }
            let cap = capsAligned && caps[i].0 == ts ? caps[i].1 : capByTs[ts] ?? nil
            let volume = volumesAligned && volumes[i].0 == ts ? volumes[i].1 : volumeByTs[ts] ?? nil
            chart.points.append(Point(ts: ts, price: price, marketCap: cap.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil },
                                      volume: volume.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }))
        }
        return chart
    }

    /// `[[ts, value], ...]`; a value that is null or not numeric comes back nil with the reason.
    private static func readPairs(_ cursor: inout JSONCursor) throws -> [(Int64, Double?, String?)] {
        var pairs: [(Int64, Double?, String?)] = []
        try cursor.expect(UInt8(ascii: "["))
        if cursor.consume(UInt8(ascii: "]")) { return pairs }
        repeat {
            try cursor.expect(UInt8(ascii: "["))
            let ts = try readNumber(&cursor)
            try cursor.expect(UInt8(ascii: ","))
            let value = try readNumber(&cursor)
            while cursor.consume(UInt8(ascii: ",")) { try cursor.skipValue() }
            try cursor.expect(UInt8(ascii: "]"))
            pairs.append((ts.0.map { Int64($0) } ?? -1, value.0, value.1))
        } while cursor.consume(UInt8(ascii: ","))
        try cursor.expect(UInt8(ascii: "]"))
        return pairs
    }

    /// A number, a numeric string, or nil with why.
    private static func readNumber(_ cursor: inout JSONCursor) throws -> (Double?, String?) {
        switch cursor.peek() {
        case UInt8(ascii: "\""):
            let text = try cursor.readString()
            if let value = Double(text.trimmingCharacters(in: .whitespaces)) { return (value, nil) }
            return (nil, "value \"\(text.prefix(40))\" is not a number")
        case UInt8(ascii: "n"):
            try cursor.readLiteral("null")
            return (nil, nil)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "{"), UInt8(ascii: "["):
            try cursor.skipValue()
            return (nil, "value is not a number")
        default:
            return (try cursor.readNumber(), nil)
        }
    }
}
