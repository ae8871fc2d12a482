import Foundation
@testable import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// A coin's long history is merged a slice of time at a time, to the same rows as merged whole.
final class CoinSliceTests: XCTestCase {
    private let hour: Int64 = 3_600_000
    private let base: Int64 = 1_600_000_000_000
    /// Slices of 64 KiB of body (a rebuild uses megabytes), so a few hundred points make a long history.
    private let sliceBytes = 64 << 10

    /// Writes `coin`'s history: `windows` windows of 200 hourly points, each window's `from`/`to`
    /// declared when `declared`; the 50th point of each window has no price, to be rejected.
    private func writeHistory(_ coin: String, windows: Int, root: TemporaryRoot, declared: Bool) throws {
        for window in 0..<windows {
            let first = window * 200
            let points = (first..<(first + 200)).map { i -> ForeignRawWriter.Point in
                let price: Double? = i % 200 == 50 ? nil : 1 + Double(i % 1000) / 7
                return ForeignRawWriter.Point(base + Int64(i) * hour, price, 1e9 + Double(i), 1e6)
            }
            let body = ForeignRawWriter.marketChart(points)
            try ForeignRawWriter.write(body, root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "\(coin)@w\(window)",
                                       params: declared ? self.window(from: first, to: first + 199) : [:])
        }
    }

    /// `from`/`to` parameters, in Unix seconds, for the hours `from...to` after `base`.
    private func window(from: Int, to: Int) -> [String: String] {
        ["vs_currency": "usd", "from": "\((base + Int64(from) * hour) / 1000)", "to": "\((base + Int64(to) * hour) / 1000)"]
    }

    private func build(_ root: TemporaryRoot) throws -> BuildOutcome {
        let spec = SilverAssets.specs().first { $0.key == SilverAssets.coinPrices }!
        let context = BuildContext(key: spec.key, version: spec.version, layout: root.layout, runID: "test", clock: TestClock.clock)
        return try CoinPricesBuilder(context: context, sliceBytes: sliceBytes).build()
    }

    private func coin(_ id: String, in root: TemporaryRoot) throws -> CoinSources {
        let store = RawStore(layout: root.layout)
        let snapshots = try store.snapshots(of: SilverInputs.marketChart).filter { RawKey.entity(of: $0.key) == id }
        return CoinSources(coinID: id, sources: SnapshotSource.newestFirst(snapshots, store: store))
    }

    func testALongHistoryMergesInSlicesToTheRowsAWholeMergeGives() throws {
        let sliced = TemporaryRoot(), whole = TemporaryRoot()
        for (root, declared) in [(sliced, true), (whole, false)] {
            for coin in ["deep", "stray", "early"] {
                try writeHistory(coin, windows: 40, root: root, declared: declared)
                // Fetched a day later across the boundary of windows 3 and 4: its values win there.
                let overlap = (790..<810).map { i in ForeignRawWriter.Point(base + Int64(i) * hour, 5_000, nil, nil) }
                try ForeignRawWriter.write(ForeignRawWriter.marketChart(overlap), root: root, day: "2026-11-21", dataset: "coingecko/market_chart",
                                           key: "\(coin)@overlap", params: declared ? window(from: 790, to: 809) : [:])
            }
            // Newest of all, it declares the last window but also holds a point of the first one's
            // time, which the last slice cannot place: once the earlier slices are written, the
            // coin is merged again whole in their place, and that point wins.
            let strayed = [ForeignRawWriter.Point(base + 10 * hour, 7_000, nil, nil), ForeignRawWriter.Point(base + 7_990 * hour, 7_001, nil, nil)]
            try ForeignRawWriter.write(ForeignRawWriter.marketChart(strayed), root: root, day: "2026-11-22", dataset: "coingecko/market_chart",
                                       key: "stray@late", params: declared ? window(from: 7_800, to: 7_999) : [:])
            // The same points, declared as the first window: the first slice strays, the coin is
            // merged whole before anything of it is written, and its other slices are skipped.
            try ForeignRawWriter.write(ForeignRawWriter.marketChart(strayed), root: root, day: "2026-11-22", dataset: "coingecko/market_chart",
                                       key: "early@late", params: declared ? window(from: 0, to: 199) : [:])
        }
        XCTAssertGreaterThan(CoinSlice.slices(of: try coin("deep", in: sliced), bytes: sliceBytes).count, 2, "the history is cut")
        XCTAssertEqual(CoinSlice.slices(of: try coin("deep", in: whole), bytes: sliceBytes).count, 1, "no windows, no cut")

        let outcomes = (try build(sliced), try build(whole))
        XCTAssertEqual(outcomes.0.rows, outcomes.1.rows)
        let query = "SELECT coin_id, ts, price, market_cap, volume, f.path FROM coin_prices JOIN _raw_files f USING (raw_file_id) ORDER BY coin_id, ts"
        let rows = (try Database(path: sliced.layout.silverDatabase.path).rows(query), try Database(path: whole.layout.silverDatabase.path).rows(query))
        XCTAssertEqual(rows.0.count, rows.1.count)
        XCTAssertTrue(rows.0 == rows.1, "the same rows, from the same files")
        let rejectsQuery = "SELECT raw_file, locator, reason FROM _rejects ORDER BY 1, 2"
        let rejects = (try Database(path: sliced.layout.silverDatabase.path).rows(rejectsQuery), try Database(path: whole.layout.silverDatabase.path).rows(rejectsQuery))
        XCTAssertEqual(rejects.0.count, 120, "one per window of each coin, once, though the stray coin's were read twice")
        XCTAssertTrue(rejects.0 == rejects.1)
        XCTAssertEqual(outcomes.0.rejects, 120)
        XCTAssertEqual(outcomes.1.rejects, 120)
        let silver = try Database(path: sliced.layout.silverDatabase.path)
        for coin in ["deep", "stray", "early"] {
            XCTAssertEqual(try silver.scalar("SELECT count(*) FROM coin_prices WHERE coin_id = ? AND price = 5000", [.text(coin)])?.int, 20)
            let series = try silver.rows("SELECT ts FROM coin_prices WHERE coin_id = ? ORDER BY ts", [.text(coin)]).map { $0[0].int! }
            XCTAssertEqual(Set(series).count, series.count, "one row per time")
        }
        for coin in ["stray", "early"] {
            XCTAssertEqual(try silver.rows("SELECT price FROM coin_prices WHERE coin_id = ? AND ts IN (?, ?) ORDER BY ts",
                                           [.text(coin), .integer(base + 10 * hour), .integer(base + 7_990 * hour)]).map { $0[0].double! }, [7_000, 7_001])
            XCTAssertEqual(try silver.scalar("SELECT count(*) FROM coin_prices WHERE coin_id = ?", [.text(coin)])?.int,
                           try silver.scalar("SELECT count(*) FROM coin_prices WHERE coin_id = 'deep'")?.int, "nothing lost or doubled by merging again")
        }
    }

    func testCutsFallOnlyBetweenWindowsThatDoNotOverlap() throws {
        let root = TemporaryRoot()
        try writeHistory("deep", windows: 40, root: root, declared: true)
        // Windows that chain across what would be each cut: every 200 hours, one straddling two windows.
        for first in stride(from: 190, to: 8_000, by: 200) {
            try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(base + Int64(first) * hour, 1, nil, nil)]), root: root, day: "2026-11-21",
                                       dataset: "coingecko/market_chart", key: "deep@s\(first)", params: window(from: first, to: first + 20))
        }
        let coin = try coin("deep", in: root)
        let chained = CoinSlice.slices(of: coin, bytes: sliceBytes)
        XCTAssertEqual(chained.count, 1, "every window overlaps the next: nowhere to cut")

        let plain = try self.coin("deep", in: root)
        let unchained = CoinSources(coinID: "deep", sources: plain.sources.filter { !$0.snapshot.key.contains("@s") })
        let slices = CoinSlice.slices(of: unchained, bytes: sliceBytes)
        XCTAssertGreaterThan(slices.count, 2)
        XCTAssertEqual(slices.map(\.isFirst), [true] + Array(repeating: false, count: slices.count - 1))
        XCTAssertEqual(slices.map(\.isLast), Array(repeating: false, count: slices.count - 1) + [true])
        XCTAssertEqual(slices.first?.span.lowerBound, Int64.min)
        XCTAssertEqual(slices.last?.span.upperBound, Int64.max)
        for (slice, next) in zip(slices, slices.dropFirst()) {
            XCTAssertEqual(slice.span.upperBound + 1, next.span.lowerBound, "slices cover all time, end to end")
        }
        XCTAssertEqual(slices.map(\.sources.count).reduce(0, +), unchained.sources.count, "every snapshot in one slice")
        for slice in slices {
            for source in slice.sources { XCTAssertTrue(slice.span.contains(source.meta!.window!.lowerBound) && slice.span.contains(source.meta!.window!.upperBound)) }
            let order = slice.sources.map { source in unchained.sources.firstIndex { $0.snapshot == source.snapshot }! }
            XCTAssertEqual(order, order.sorted(), "the coin's newest-first order")
            XCTAssertGreaterThanOrEqual(slice.sources.compactMap(\.meta?.bytes).reduce(0, +), slice.isLast ? 0 : sliceBytes)
        }

        // One snapshot whose window is unknown: the coin stays whole.
        try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(base, 1, nil, nil)]), root: root, day: "2026-11-22",
                                   dataset: "coingecko/market_chart", key: "deep@unknown")
        let withUnknown = try self.coin("deep", in: root)
        XCTAssertEqual(CoinSlice.slices(of: CoinSources(coinID: "deep", sources: withUnknown.sources.filter { !$0.snapshot.key.contains("@s") }),
                                        bytes: sliceBytes).count, 1)
    }
}
