import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `gold.forecast_metrics` and `gold.price_forecasts` on a month of hourly ticks with a trend
/// and a daily cycle, written as stream segments the way another collector would, and
/// recomputed with statsmodels.
final class ForecastTests: XCTestCase {
    func testOnATrendWithADailyCycleTheBacktestPicksAModelThatBeatsNaiveAndStatsmodelsAgrees() throws {
        let root = TemporaryRoot("forecasts")
        let start: Int64 = 1_790_812_800_000  // 2026-10-01T00:00:00Z
        var noise = SplitMix(seed: 3)
        for day in 0..<30 {
            var lines: [String] = []
            // A tick an hour, and in the last two days a tick a minute (the 1-minute series).
            for minute in stride(from: 0, to: 1_440, by: day >= 28 ? 1 : 60) {
                let t = Double(day * 1_440 + minute) / 60 + 0.5
                let uniform = Double(noise.next() % 1_000_000) / 1_000_000 - 0.5
                let mid = 30_000 + 5 * t + 200 * sin(2 * Double.pi * t / 24) + 40 * uniform
                let received = start + Int64(day * 1_440 + minute) * 60_000 + 30_000
                let ticker = #"{\"stream\":\"btcusdt@ticker\",\"data\":{\"e\":\"24hrTicker\",\"E\":\#(received - 20),\"s\":\"BTCUSDT\",\"b\":\"\#(mid - 0.5)\",\"a\":\"\#(mid + 0.5)\",\"c\":\"\#(mid)\",\"v\":\"10\"}}"#
                lines.append(#"{"received_ms":\#(received),"connection":1,"message":"\#(ticker)"}"#)
            }
            let dayValue = Day(unixMilliseconds: start + Int64(day) * 86_400_000)
            let folder = root.layout.rawFolder(day: dayValue, dataset: RawDataset(source: "binance", dataset: StreamSegment.tickerDataset))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let body = Data((lines.joined(separator: "\n") + "\n").utf8)
            try body.write(to: folder.appendingPathComponent("other-000000.jsonl"))
            let meta = SnapshotMeta(url: "written by a test", status: 101, fetchedAt: "\(dayValue)T23:59:59Z", sha256: Fingerprint.sha256(body), bytes: body.count, params: [:])
            try meta.encoded().write(to: folder.appendingPathComponent("other-000000.meta.json"))
        }
        let run = try CLIRunner().run(["materialize", "+gold.price_forecasts", "--root", root.path])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let gold = try Database(path: root.layout.goldDatabase.path)
        let hourly = try gold.namedRows("SELECT model, mean_mae FROM forecast_metrics WHERE frequency = '1h' AND horizon = 1")
        let means = Dictionary(uniqueKeysWithValues: hourly.compactMap { row in row["model"]?.string.flatMap { model in row["mean_mae"]?.double.map { (model, $0) } } })
        XCTAssertEqual(Set(means.keys), ["naive", "seasonal_naive", "ses", "holt", "ar"])
        let best = try XCTUnwrap(try gold.scalar("SELECT model FROM forecast_metrics WHERE frequency = '1h' AND best = 1 LIMIT 1")?.string)
        XCTAssertNotEqual(best, "naive")
        XCTAssertLessThan(try XCTUnwrap(means[best]), try XCTUnwrap(means["naive"]) * 0.8, "the best model beats naive clearly: \(means)")
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM price_forecasts WHERE frequency = '1h'")?.int, 6)
        let oracle = try PythonOracle("forecasts_oracle.py").run([root.path])
        XCTAssertEqual(oracle.status, 0, oracle.text)
        XCTAssertTrue(oracle.stdout.contains("\n0 problems\n"), oracle.text)

        // Refit only when new data arrived: a second run builds nothing.
        let again = try CLIRunner().run(["materialize", "+gold.price_forecasts", "--root", root.path])
        XCTAssertTrue(again.stdout.contains("0 built"), again.stdout)
    }
}
