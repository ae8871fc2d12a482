@testable import Bronze
import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

final class MarketChartPlannerTests: XCTestCase {
    func testSubtractLeavesOnlyUncoveredRanges() {
        XCTAssertEqual(HistoryWindows.subtract([], from: (0, 100)).map { [$0.0, $0.1] }, [[0, 100]])
        XCTAssertEqual(HistoryWindows.subtract([(0, 100)], from: (0, 100)).count, 0)
        XCTAssertEqual(HistoryWindows.subtract([(20, 40), (60, 200)], from: (0, 100)).map { [$0.0, $0.1] }, [[0, 20], [40, 60]])
        XCTAssertEqual(HistoryWindows.subtract([(30, 50), (10, 35)], from: (0, 100)).map { [$0.0, $0.1] }, [[0, 10], [50, 100]])
    }

    func planner(history: Int) -> MarketChartPlanner {
        var settings = WarehouseSettings()
        settings.historyDays = history
        let context = BuildContext(key: CoinGeckoAssets.marketChart, version: "t", layout: TemporaryRoot().layout, runID: "t", clock: TestClock.clock)
        return MarketChartPlanner(settings: settings, context: context)
    }

    func testWindowsStayHourlyAndTheLatestIsKeyedByTheCoin() {
        let now = TestClock.clock.nowUnixSeconds
        let history = planner(history: 730).history
        func plan(_ coin: String, _ gap: (Int64, Int64)) -> [RawRequest] {
            history.requests(for: coin, covered: [], wanted: gap) { key, from, to, reachesNow in
                RawRequest(dataset: history.dataset, key: key, path: "/api/v3/coins/\(coin)/market_chart/range",
                           params: [QueryParam("from", "\(from)"), QueryParam("to", "\(to)")], freshness: reachesNow ? .today(maxAge: 86_400) : .forever)
            }
        }
        let windows = plan("bitcoin", (now - 730 * 86_400, now))
        XCTAssertEqual(windows.count, 9)
        let spans = windows.map { Int64($0.paramDictionary["to"]!)! - Int64($0.paramDictionary["from"]!)! }
        XCTAssertTrue(spans.allSatisfy { $0 >= 2 * 86_400 && $0 <= 89 * 86_400 }, "\(spans)")
        XCTAssertEqual(windows.last?.key, "bitcoin")
        XCTAssertEqual(windows.last?.freshness, .today(maxAge: 86_400))
        XCTAssertEqual(windows.first?.key, "bitcoin@20241123-20250212")
        XCTAssertEqual(windows.first?.freshness, .forever)
        // Consecutive windows touch: no hour is skipped.
        for (a, b) in zip(windows, windows.dropFirst()) { XCTAssertEqual(a.paramDictionary["to"], b.paramDictionary["from"]) }

        // A one-hour gap is widened to two days, or the API would answer 5-minute points.
        let short = plan("eth", (now - 3600, now))
        XCTAssertEqual(short.count, 1)
        XCTAssertEqual(Int64(short[0].paramDictionary["from"]!), now - 2 * 86_400)
        XCTAssertEqual(short[0].path, "/api/v3/coins/eth/market_chart/range")
    }
}
