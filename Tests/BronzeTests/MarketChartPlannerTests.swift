@testable import Bronze
import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

final class MarketChartPlannerTests: XCTestCase {
    func testSubtractLeavesOnlyUncoveredRanges() {
        XCTAssertEqual(MarketChartPlanner.subtract([], from: (0, 100)).map { [$0.0, $0.1] }, [[0, 100]])
        XCTAssertEqual(MarketChartPlanner.subtract([(0, 100)], from: (0, 100)).count, 0)
        XCTAssertEqual(MarketChartPlanner.subtract([(20, 40), (60, 200)], from: (0, 100)).map { [$0.0, $0.1] }, [[0, 20], [40, 60]])
        XCTAssertEqual(MarketChartPlanner.subtract([(30, 50), (10, 35)], from: (0, 100)).map { [$0.0, $0.1] }, [[0, 10], [50, 100]])
    }

    func planner(history: Int) -> MarketChartPlanner {
        var settings = WarehouseSettings()
        settings.historyDays = history
        let context = BuildContext(key: CoinGeckoAssets.marketChart, version: "t", layout: TemporaryRoot().layout, runID: "t", clock: TestClock.clock)
        return MarketChartPlanner(settings: settings, context: context)
    }

    func testWindowsStayHourlyAndTheLatestIsKeyedByTheCoin() {
        let now = TestClock.clock.nowUnixSeconds
        let windows = planner(history: 730).windows(for: "bitcoin", gap: (now - 730 * 86_400, now), now: now)
        XCTAssertEqual(windows.count, 9)
        let spans = windows.map { Int64($0.paramDictionary["to"]!)! - Int64($0.paramDictionary["from"]!)! }
        XCTAssertTrue(spans.allSatisfy { $0 >= 2 * 86_400 && $0 <= 89 * 86_400 }, "\(spans)")
        XCTAssertEqual(windows.last?.key, "bitcoin")
        XCTAssertEqual(windows.last?.freshness, .today)
        XCTAssertEqual(windows.first?.key, "bitcoin@20241123-20250212")
        XCTAssertEqual(windows.first?.freshness, .forever)
        // Consecutive windows touch: no hour is skipped.
        for (a, b) in zip(windows, windows.dropFirst()) { XCTAssertEqual(a.paramDictionary["to"], b.paramDictionary["from"]) }

        // A one-hour gap is widened to two days, or the API would answer 5-minute points.
        let short = planner(history: 730).windows(for: "eth", gap: (now - 3600, now), now: now)
        XCTAssertEqual(short.count, 1)
        XCTAssertEqual(Int64(short[0].paramDictionary["from"]!), now - 2 * 86_400)
        XCTAssertEqual(short[0].path, "/api/v3/coins/eth/market_chart/range")
    }
}
