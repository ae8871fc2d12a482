import Foundation
import Warehouse

/// Flags bars whose daily return is an outlier, without dropping them: the robust z-score
/// 0.6745 * (r - median) / MAD of the return against the previous `window` returns of the same
/// ticker; `|z| > threshold` sets `outlier = 1`.
enum OutlierFlags {
    static let window = 20

    static func mark(_ database: Database, table: String, threshold: Double) throws {
        let bars = try database.prepare("SELECT ticker, date, close FROM \(table) ORDER BY ticker, date")
        let flag = try database.prepare("UPDATE \(table) SET outlier = 1 WHERE ticker = ? AND date = ?")
        var ticker = ""
        var previous: Double?
        var returns: [Double] = []
        while try bars.step() {
            let name = bars.string(at: 0), date = bars.string(at: 1), close = bars.double(at: 2) ?? 0
            if name != ticker { ticker = name; previous = nil; returns.removeAll() }
            defer { previous = close }
            guard let previous, previous > 0 else { continue }
            let change = close / previous - 1
            if returns.count >= window, let z = robustZ(change, against: returns.suffix(window)), abs(z) > threshold {
                try flag.bind([.text(name), .text(date)])
                try flag.run()
            }
            returns.append(change)
        }
    }

    /// The robust z-score of a value against a sample; nil when the sample has no spread.
    static func robustZ<C: Collection>(_ value: Double, against sample: C) -> Double? where C.Element == Double {
        let median = Self.median(Array(sample))
        let mad = Self.median(sample.map { abs($0 - median) })
        guard mad > 0 else { return nil }
        return 0.6745 * (value - median) / mad
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
