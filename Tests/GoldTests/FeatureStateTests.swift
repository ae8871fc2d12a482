@testable import Gold
import XCTest

/// A whole series' features by column, for tests that read them by row index.
private struct Series {
    let rows: [FeatureRow]
    init(closes: [Double]) {
        var state = FeatureState()
        rows = closes.map { state.append($0) }
    }
    var return1d: [Double?] { rows.map(\.return1d) }
    var sma20: [Double?] { rows.map(\.sma20) }
    var sma50: [Double?] { rows.map(\.sma50) }
    var rsi14: [Double?] { rows.map(\.rsi14) }
    var macd: [Double?] { rows.map(\.macd) }
    var macdSignal: [Double?] { rows.map(\.macdSignal) }
    var volatility20: [Double?] { rows.map(\.volatility20) }
}

/// Small series whose features can be worked out by hand; the Python oracle in
/// Tests/Oracle checks every value of real runs.
final class FeatureStateTests: XCTestCase {
    func testWindowsAreNullUntilFull() {
        let features = Series(closes: (1...60).map(Double.init))
        XCTAssertNil(features.return1d[0])
        XCTAssertNotNil(features.return1d[1])
        XCTAssertNil(features.sma20[18]); XCTAssertNotNil(features.sma20[19])
        XCTAssertNil(features.sma50[48]); XCTAssertNotNil(features.sma50[49])
        XCTAssertNil(features.rsi14[13]); XCTAssertNotNil(features.rsi14[14])
        XCTAssertNil(features.volatility20[19]); XCTAssertNotNil(features.volatility20[20])
        XCTAssertNotNil(features.macd[0]); XCTAssertNotNil(features.macdSignal[0])
    }

    func testRisingSeries() throws {
        let closes = (1...60).map(Double.init)
        let features = Series(closes: closes)
        XCTAssertEqual(features.return1d[1], 1)
        XCTAssertEqual(features.return1d[3]!, 4.0 / 3.0 - 1, accuracy: 1e-15)
        XCTAssertEqual(features.sma20[19], 10.5)
        XCTAssertEqual(features.sma50[59], 35.5)
        XCTAssertEqual(features.rsi14[30], 100, "no losses: RSI is 100")
        // Returns 1/20, 1/21, ..., 1/39 over rows 20...39: sample standard deviation by hand.
        let returns = (20...39).map { 1.0 / Double($0) }
        let mean = returns.reduce(0, +) / 20
        let expected = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 19).squareRoot()
        XCTAssertEqual(features.volatility20[39]!, expected, accuracy: 1e-15)
    }

    func testMacdIsSeededWithTheFirstClose() throws {
        let features = Series(closes: [10, 12])
        XCTAssertEqual(features.macd[0], 0)
        XCTAssertEqual(features.macdSignal[0], 0)
        let macd = (2.0 / 13 - 2.0 / 27) * 2
        XCTAssertEqual(features.macd[1]!, macd, accuracy: 1e-15)
        XCTAssertEqual(features.macdSignal[1]!, 0.2 * macd, accuracy: 1e-15)
    }

    func testRsiUsesRunningAveragesFromTheFirstChange() throws {
        // Changes: +2, then thirteen of -1. avg_gain: 2, then 2*(13/14)^k; avg_loss: 0, then moves toward 1.
        let closes = [100.0, 102.0] + (1...13).map { 102.0 - Double($0) }
        var gain = 2.0, loss = 0.0
        for _ in 2...14 {
            gain += (0 - gain) / 14
            loss += (1 - loss) / 14
        }
        let features = Series(closes: closes)
        XCTAssertEqual(features.rsi14[14]!, 100 - 100 / (1 + gain / loss), accuracy: 1e-12)
    }

    /// A series stopped anywhere and resumed from its saved fields continues bit for bit.
    func testAResumedStateContinuesExactlyAsAnUnbrokenOne() {
        let closes = (0..<120).map { 100 + 10 * sin(Double($0) * 0.3) + Double($0) * 0.05 }
        let unbroken = Series(closes: closes).rows
        for stop in [0, 1, 13, 14, 20, 21, 49, 50, 77] {
            var first = FeatureState()
            for close in closes[..<stop] { _ = first.append(close) }
            var resumed = FeatureState(rows: first.rows, closes: first.closes, returns: first.returns, ema12: first.ema12, ema26: first.ema26,
                                       signal: first.signal, averageGain: first.averageGain, averageLoss: first.averageLoss)
            XCTAssertEqual(closes[stop...].map { resumed.append($0) }, Array(unbroken[stop...]), "stopped after \(stop) closes")
        }
    }

    func testFlatSeriesHasZeroVolatilityAndMacd() {
        let features = Series(closes: Array(repeating: 5, count: 30))
        XCTAssertEqual(features.volatility20[25], 0)
        XCTAssertEqual(features.macd[29], 0)
        XCTAssertEqual(features.rsi14[20], 100)
    }
}
