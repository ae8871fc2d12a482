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
        var prices = Series(), caps = Series(), volumes = Series()
        var sawPrices = false
        // A pair takes about 35 bytes and the body holds three series.
        let expectedPairs = body.count / 100
        try body.withUnsafeBytes { buffer in
            var cursor = JSONCursor(buffer)
            try cursor.expect(UInt8(ascii: "{"))
            if cursor.consume(UInt8(ascii: "}")) { return }
            repeat {
                let name = try cursor.readString()
                try cursor.expect(UInt8(ascii: ":"))
                switch name {
                case "prices": prices = try readPairs(&cursor, expected: expectedPairs); sawPrices = true
                case "market_caps": caps = try readPairs(&cursor, expected: expectedPairs)
                case "total_volumes": volumes = try readPairs(&cursor, expected: expectedPairs)
                default: try cursor.skipValue()
                }
            } while cursor.consume(UInt8(ascii: ","))
            try cursor.expect(UInt8(ascii: "}"))
            guard cursor.atEnd() else { throw cursor.syntaxError("trailing data after the document") }
        }
        guard sawPrices else { throw JSONSyntaxError(offset: 0, message: "no \"prices\" array: not a market_chart body") }
        var chart = MarketChart()
        chart.points.reserveCapacity(prices.pairs.count)
        let capsAligned = caps.pairs.count == prices.pairs.count
        let volumesAligned = volumes.pairs.count == prices.pairs.count
        let milliseconds = { (pair: Pair) in pair.time.flatMap(InputNumber.unixMilliseconds) }
        lazy var capByTs = Dictionary(caps.pairs.compactMap { pair in milliseconds(pair).map { ($0, pair.value) } }, uniquingKeysWith: { _, later in later })
        lazy var volumeByTs = Dictionary(volumes.pairs.compactMap { pair in milliseconds(pair).map { ($0, pair.value) } }, uniquingKeysWith: { _, later in later })
        var kept: [Int] = []   // index into prices of each point
        kept.reserveCapacity(prices.pairs.count)
        for (i, pair) in prices.pairs.enumerated() {
            let (time, price) = (pair.time, pair.value)
            guard let price, price.isFinite, price > 0 else {
                let reason = prices.problems[i] ?? (price == nil ? "price is null" : "price \(price!) is not a positive number")
                chart.rejects.append(("prices[\(i)]", reason))
                continue
            }
            guard let ts = milliseconds(pair) else {
                chart.rejects.append(("prices[\(i)][0]", "timestamp \(time.map { "\($0)" } ?? "null") is not a Unix time in milliseconds between 1970 and 2200"))
                continue
            }
            let capTime = capsAligned ? milliseconds(caps.pairs[i]) : nil
            let volumeTime = volumesAligned ? milliseconds(volumes.pairs[i]) : nil
            let cap = capTime == ts ? caps.pairs[i].value : capByTs[ts] ?? nil
            let volume = volumeTime == ts ? volumes.pairs[i].value : volumeByTs[ts] ?? nil
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

    /// One `[time, value]` pair as read; nil where the body has null or something not numeric.
    private struct Pair {
        let time: Double?
        let value: Double?
    }

    /// One array of pairs, with why each unusable value is unusable (by position; rare).
    private struct Series {
        var pairs: [Pair] = []
        var problems: [Int: String] = [:]
    }

    /// `[[ts, value], ...]`; a value that is null or not numeric comes back nil, with the reason
    /// in `problems` when it is not null.
    private static func readPairs(_ cursor: inout JSONCursor, expected: Int) throws -> Series {
        var series = Series()
        series.pairs.reserveCapacity(expected)
        try cursor.expect(UInt8(ascii: "["))
        if cursor.consume(UInt8(ascii: "]")) { return series }
        repeat {
            try cursor.expect(UInt8(ascii: "["))
            let ts = try readNumber(&cursor)
            try cursor.expect(UInt8(ascii: ","))
            let value = try readNumber(&cursor)
            while cursor.consume(UInt8(ascii: ",")) { try cursor.skipValue() }
            try cursor.expect(UInt8(ascii: "]"))
            if let problem = value.1 { series.problems[series.pairs.count] = problem }
            series.pairs.append(Pair(time: ts.0, value: value.0))
        } while cursor.consume(UInt8(ascii: ","))
        try cursor.expect(UInt8(ascii: "]"))
        return series
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

/// The market_chart parser on its own, for `warehouse bench`: how fast silver.coin_prices could
/// go if storing its rows cost nothing (the build parses on a thread beside the inserts).
public enum MarketChartParser {
    /// Reads and parses every market_chart body of `layout`'s raw folder on this thread, storing nothing.
    /// - Returns: the body bytes read and the points parsed.
    public static func parseAll(in layout: WarehouseLayout) throws -> (bytes: Int, points: Int) {
        let store = RawStore(layout: layout)
        var bytes = 0, points = 0
        for snapshot in try store.snapshots(of: SilverInputs.marketChart) {
            let body = try store.body(of: snapshot)
            bytes += body.count
            points += try MarketChart.parse(body).points.count
        }
        return (bytes, points)
    }
}
