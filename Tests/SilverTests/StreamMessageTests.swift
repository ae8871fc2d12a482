@testable import Silver
import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// Silver reads the venues' real recorded stream messages (Tests/Fixtures/real/ws).
final class StreamMessageTests: XCTestCase {
    private func read(_ path: String, _ venue: String) throws -> StreamMessage {
        let data = try Fixtures.data("real/ws/\(path)")
        return try data.withUnsafeBytes { try StreamMessageReader.read($0, venue: venue) }
    }

    func testRecordedTickersReadWithTheirOwnTimes() throws {
        XCTAssertEqual(try read("binance/ticker_combined_ETHUSDT.json", "binance"),
                       .tickers([StreamTicker(symbol: "ETHUSDT", bid: 1792.83, ask: 1792.84, last: 1792.84, volume: 471703.5311, exchangeMillis: 1_653_812_650_349)]))
        XCTAssertEqual(try read("binance/bookTicker_combined_NKNUSDT.json", "binance"),
                       .tickers([StreamTicker(symbol: "NKNUSDT", bid: 0.3521, ask: 0.3526, last: nil, volume: nil, exchangeMillis: nil)]),
                       "the spot bookTicker carries no event time")
        XCTAssertEqual(try read("kraken/ticker_v2_snapshot_BTC-USD.json", "kraken"),
                       .tickers([StreamTicker(symbol: "BTC/USD", bid: 108359.8, ask: 108359.9, last: 108359.8, volume: 2158.32346723, exchangeMillis: nil)]),
                       "Kraken's v2 ticker has no timestamp: none is invented")
        XCTAssertEqual(try read("coinbase/ticker_BTC-USD.json", "coinbase"),
                       .tickers([StreamTicker(symbol: "BTC-USD", bid: 29940.90, ask: 29940.91, last: 29940.91, volume: 27783.70216674,
                                              exchangeMillis: ISO8601.unixMilliseconds("2022-06-02T09:20:54.127011Z"))]))
    }

    func testRecordedControlMessagesHoldNoTicks() throws {
        for (path, venue) in [("binance/serverShutdown_combined_OFFICIAL_DOC_EXAMPLE.json", "binance"), ("binance/subscribe_response_OFFICIAL_DOC_EXAMPLE.json", "binance"),
                              ("binance/error_too_many_parameters_OFFICIAL_DOC_EXAMPLE.json", "binance"), ("kraken/heartbeat_v2.json", "kraken"),
                              ("kraken/status_v2_update.json", "kraken"), ("kraken/subscribe_ack_v2_trade_BTC-USDT.json", "kraken"),
                              ("coinbase/heartbeat_BTC-USD_OFFICIAL_DOC_EXAMPLE.json", "coinbase"), ("coinbase/subscriptions_ack_ticker_matches_level2.json", "coinbase"),
                              ("coinbase/error_failed_to_subscribe_no_channels.json", "coinbase")] {
            guard case .control = try read(path, venue) else { return XCTFail("\(path) read as ticks") }
        }
    }

    func testBrokenMessagesSayWhatIsWrong() {
        for (text, venue, expected) in [("{\"stream\":\"x\",\"data\":{\"s\":\"BTCUSDT\",\"E\":-5}}", "binance", "between 1970 and 2200"),
                                        ("{\"stream\":\"x\"", "binance", "not JSON"), ("[1,2]", "kraken", "not JSON"),
                                        ("{\"type\":\"ticker\",\"product_id\":\"BTC-USD\",\"time\":\"yesterday\"}", "coinbase", "ISO 8601"),
                                        ("{\"channel\":\"ticker\",\"data\":[{\"bid\":1}]}", "kraken", "without symbol"),
                                        // A broken escape in a value rejects the message; it never cuts the value short.
                                        ("{\"type\":\"ticker\",\"product_id\":\"BTC-USD\\q\",\"price\":\"1\"}", "coinbase", "not JSON"),
                                        ("{\"stream\":\"x\",\"data\":{\"s\":\"BTCUSDT\",\"b\":\"6\\x5000\"}}", "binance", "not JSON")] {
            XCTAssertThrowsError(try Array(text.utf8).withUnsafeBytes { try StreamMessageReader.read($0, venue: venue) }, text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }
    /// Server-time answers from the recorded shapes read to Unix ms; numbers out of range, not
    /// finite or of the wrong kind are no time (the probe is rejected), never a trap.
    func testServerTimesReadAndHostileNumbersAreNoTime() {
        XCTAssertEqual(ServerTime.millis(venue: "binance", body: #"{"serverTime":1633835466289}"#), 1_633_835_466_289)
        XCTAssertEqual(ServerTime.millis(venue: "kraken", body: #"{"error":[],"result":{"unixtime":1762820224}}"#), 1_762_820_224_000)
        XCTAssertEqual(ServerTime.millis(venue: "coinbase", body: #"{"iso":"x","epoch":1420674445.201}"#), 1_420_674_445_201)
        for (venue, body) in [("binance", #"{"serverTime":1e30}"#), ("binance", #"{"serverTime":-5}"#), ("binance", #"{"serverTime":"soon"}"#),
                              ("kraken", #"{"result":{"unixtime":9.3e18}}"#), ("kraken", #"{"result":{"unixtime":1e300}}"#),
                              ("coinbase", #"{"epoch":1e300}"#), ("coinbase", #"{"epoch":-1}"#), ("coinbase", "not json"), ("bitstamp", #"{"serverTime":1}"#)] {
            XCTAssertNil(ServerTime.millis(venue: venue, body: body), "\(venue) \(body)")
        }
    }
}
