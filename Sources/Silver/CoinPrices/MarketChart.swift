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
    /// byte scanner. Points without a usable price or time are rejected; a missing market cap or
    /// volume is NULL. Numbers written as strings are accepted. Where two points of the body have
    /// the same time, the later one is kept and the earlier one rejected as a duplicate.
    /// - Throws: `JSONSyntaxError` when the body is not that shape at all.
    static func parse(_ body: Data) throws -> MarketChart {
        var prices: [(Double?, Double?, String?)] = []
        var caps: [(Double?, Double?, String?)] = []
        var volumes: [(Double?, Double?, String?)] = []
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
        let milliseconds = { (pair: (Double?, Double?, String?)) in pair.0.flatMap(InputNumber.unixMilliseconds) }
        lazy var capByTs = Dictionary(caps.compactMap { pair in milliseconds(pair).map { ($0, pair.1) } }, uniquingKeysWith: { _, later in later })
        lazy var volumeByTs = Dictionary(volumes.compactMap { pair in milliseconds(pair).map { ($0, pair.1) } }, uniquingKeysWith: { _, later in later })
        var kept: [Int] = []   // index into prices of each point
        for (i, pair) in prices.enumerated() {
            let (time, price, problem) = pair
            guard let price, price.isFinite, price > 0 else {
                let reason = problem ?? (price == nil ? "price is null" : "price \(price!) is not a positive number")
                chart.rejects.append(("prices[\(i)]", reason))
                continue
            }
            guard let ts = milliseconds(pair) else {
                chart.rejects.append(("prices[\(i)][0]", "timestamp \(time.map { "\($0)" } ?? "null") is not a Unix time in milliseconds between 1970 and 2200"))
                continue
            }
            let capTime = capsAligned ? milliseconds(caps[i]) : nil
            let volumeTime = volumesAligned ? milliseconds(volumes[i]) : nil
            let cap = capTime == ts ? caps[i].1 : capByTs[ts] ?? nil
            let volume = volumeTime == ts ? volumes[i].1 : volumeByTs[ts] ?? nil
            chart.points.append(Point(ts: ts, price: price, marketCap: cap.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil },
                                      volume: volume.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }))
            kept.append(i)
        }
        chart.dropDuplicates(positions: kept)
        return chart
    }

    /// Keeps the last point of each timestamp, rejecting the earlier ones. A body in time order
    /// (the API's) is checked in one pass and left as it is.
    private mutating func dropDuplicates(positions: [Int]) {
        guard zip(points, points.dropFirst()).contains(where: { $0.ts >= $1.ts }) else { return }
        var last: [Int64: Int] = [:]
        for (index, point) in points.enumerated() { last[point.ts] = index }
        var unique: [Point] = []
        unique.reserveCapacity(last.count)
        for (index, point) in points.enumerated() {
            if last[point.ts] == index {
                unique.append(point)
            } else {
                rejects.append(("prices[\(positions[index])]", "duplicate timestamp \(point.ts): prices[\(positions[last[point.ts]!])] later in the body is kept"))
            }
        }
        points = unique
    }

    /// `[[ts, value], ...]`; a value that is null or not numeric comes back nil with the reason.
    private static func readPairs(_ cursor: inout JSONCursor) throws -> [(Double?, Double?, String?)] {
        var pairs: [(Double?, Double?, String?)] = []
        try cursor.expect(UInt8(ascii: "["))
        if cursor.consume(UInt8(ascii: "]")) { return pairs }
        repeat {
            try cursor.expect(UInt8(ascii: "["))
            let ts = try readNumber(&cursor)
            try cursor.expect(UInt8(ascii: ","))
            let value = try readNumber(&cursor)
            while cursor.consume(UInt8(ascii: ",")) { try cursor.skipValue() }
            try cursor.expect(UInt8(ascii: "]"))
            pairs.append((ts.0, value.0, value.1))
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
