import Foundation
import MarketEmulator
import Warehouse
import WarehouseTestSupport
import WebSocket
import XCTest

/// The emulator's streams over a real loopback WebSocket, checked against the recorded messages.
final class EmulatorStreamTests: XCTestCase {
    private func emulator(_ plan: StreamPlan = StreamPlan(messagesPerSecond: 20)) throws -> MarketEmulator {
        try MarketEmulator(seed: 7, coinCount: 30, streams: plan)
    }

    private func ws(_ emulator: MarketEmulator) -> String { emulator.baseURL.replacingOccurrences(of: "http://", with: "ws://") }

    /// The next `count` text messages as JSON objects (failing on a timeout).
    private func read(_ connection: WebSocketConnection, _ count: Int) throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        while out.count < count {
            guard case .text(let bytes)? = try connection.receive(timeout: 5) else { XCTFail("no message within 5 s"); break }
            out.append(try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]))
        }
        return out
    }

    private func fixtureKeys(_ path: String, data: Bool = false) throws -> Set<String> {
        let object = try XCTUnwrap(try Fixtures.json("real/ws/\(path)") as? [String: Any])
        if data {
            if let inner = object["data"] as? [String: Any] { return Set(inner.keys) }
            return Set(((object["data"] as? [[String: Any]])?.first ?? [:]).keys)
        }
        return Set(object.keys)
    }

    func testBinanceCombinedStreamsMatchTheRecordedShapes() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let connection = try WebSocketClient.connect(ws(emulator) + "/stream?streams=btcusdt@ticker/ethusdt@bookTicker/nosuchusdt@ticker")
        let messages = try read(connection, 12)
        XCTAssertEqual(messages.first?["code"] as? Int, 2, "an unknown stream is answered with Binance's error message")
        XCTAssertTrue((messages.first?["msg"] as? String ?? "").contains("nosuchusdt@ticker"))
        let tickers = messages.filter { ($0["stream"] as? String) == "btcusdt@ticker" }.compactMap { $0["data"] as? [String: Any] }
        let books = messages.filter { ($0["stream"] as? String) == "ethusdt@bookTicker" }.compactMap { $0["data"] as? [String: Any] }
        XCTAssertFalse(tickers.isEmpty)
        XCTAssertFalse(books.isEmpty)
        let recordedTicker = try fixtureKeys("binance/ticker_combined_ETHUSDT.json", data: true)
        for ticker in tickers {
            XCTAssertTrue(Set(ticker.keys).isSubset(of: recordedTicker), "keys not in the recorded 24hrTicker: \(Set(ticker.keys).subtracting(recordedTicker))")
            XCTAssertEqual(ticker["e"] as? String, "24hrTicker")
            let stamp = try XCTUnwrap(ticker["E"] as? Int64 ?? (ticker["E"] as? NSNumber)?.int64Value)
            XCTAssertLessThan(abs(Date().timeIntervalSince1970 * 1000 - Double(stamp)), 5_000, "E is the venue's time now")
            XCTAssertLessThan(Double(ticker["b"] as! String)!, Double(ticker["a"] as! String)!)
        }
        for book in books { XCTAssertEqual(Set(book.keys), try fixtureKeys("binance/bookTicker_combined_NKNUSDT.json", data: true)) }
    }

    func testKrakenV2SendsAnIdAboveInt64AcksAndRefusesPerSymbol() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let connection = try WebSocketClient.connect(ws(emulator) + "/v2")
        guard case .text(let statusBytes)? = try connection.receive(timeout: 5) else { return XCTFail("no status message") }
        let status = String(decoding: statusBytes, as: UTF8.self)
        let id = try XCTUnwrap(status.range(of: #"(?<="connection_id":)\d+"#, options: .regularExpression).map { String(status[$0]) })
        XCTAssertNil(Int64(id), "the connection id \(id) is above the signed 64-bit range, as Kraken's are")
        XCTAssertNotNil(UInt64(id))
        try connection.send(text: #"{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD","NOPE/USD"]}}"#)
        let messages = try read(connection, 8)
        let acks = messages.filter { $0["method"] as? String == "subscribe" }
        XCTAssertEqual(acks.count, 2)
        XCTAssertEqual(acks.first { $0["success"] as? Bool == true }.flatMap { ($0["result"] as? [String: Any])?["symbol"] as? String }, "BTC/USD")
        let refusal = try XCTUnwrap(acks.first { $0["success"] as? Bool == false })
        XCTAssertEqual(refusal["symbol"] as? String, "NOPE/USD")
        XCTAssertTrue((refusal["error"] as? String ?? "").contains("NOPE/USD"))
        let tickers = messages.filter { $0["channel"] as? String == "ticker" }
        XCTAssertFalse(tickers.isEmpty)
        for ticker in tickers {
            XCTAssertEqual(Set(ticker.keys), try fixtureKeys("kraken/ticker_v2_snapshot_BTC-USD.json"))
            let item = try XCTUnwrap((ticker["data"] as? [[String: Any]])?.first)
            XCTAssertTrue(Set(item.keys).isSubset(of: try fixtureKeys("kraken/ticker_v2_snapshot_BTC-USD.json", data: true)))
            XCTAssertEqual(item["symbol"] as? String, "BTC/USD")
        }
    }

    func testCoinbaseAcksTickersAndHeartbeatsInTheRecordedShapes() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let connection = try WebSocketClient.connect(ws(emulator))
        try connection.send(text: #"{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channels":["ticker","heartbeat"]}"#)
        let messages = try read(connection, 60)
        XCTAssertEqual(messages.first?["type"] as? String, "subscriptions")
        let tickers = messages.filter { $0["type"] as? String == "ticker" }
        let heartbeats = messages.filter { $0["type"] as? String == "heartbeat" }
        XCTAssertFalse(tickers.isEmpty)
        XCTAssertFalse(heartbeats.isEmpty, "a heartbeat per product every second")
        for ticker in tickers { XCTAssertEqual(Set(ticker.keys), try fixtureKeys("coinbase/ticker_BTC-USD.json").subtracting(["open_24h", "low_24h", "high_24h", "volume_30d"])) }
        for heartbeat in heartbeats { XCTAssertEqual(Set(heartbeat.keys), try fixtureKeys("coinbase/heartbeat_BTC-USD_OFFICIAL_DOC_EXAMPLE.json")) }

        let refused = try WebSocketClient.connect(ws(emulator))
        try refused.send(text: #"{"type":"subscribe","product_ids":["NOPE-USD"],"channels":["ticker"]}"#)
        let error = try read(refused, 1)[0]
        XCTAssertEqual(error["type"] as? String, "error")
        XCTAssertTrue((error["reason"] as? String ?? "").contains("NOPE-USD"))
    }

    func testScheduledDropsAlternateCloseAndStallAndAreCountedWhenTheyHappen() throws {
        let emulator = try emulator(StreamPlan(messagesPerSecond: 10, disconnectEvery: 0.6, stallSeconds: 0.4))
        defer { emulator.stop() }
        let url = ws(emulator) + "/stream?streams=btcusdt@ticker"
        // First connection: Binance's serverShutdown, then a close frame 1001.
        let first = try WebSocketClient.connect(url)
        var sawShutdown = false
        var close: WebSocketMessage?
        while close == nil, let message = try first.receive(timeout: 5) {
            if case .text(let bytes) = message, String(decoding: bytes, as: UTF8.self).contains("serverShutdown") { sawShutdown = true }
            if case .close = message { close = message }
        }
        XCTAssertTrue(sawShutdown)
        XCTAssertEqual(close, .close(code: 1001, reason: "scheduled disconnect"))
        // Second: goes silent, then the TCP connection ends without a close frame.
        let second = try WebSocketClient.connect(url)
        var lost: Error?
        do { while try second.receive(timeout: 5) != nil {} } catch { lost = error }
        guard case WebSocketError.connectionLost? = lost else { return XCTFail("expected a lost connection, got \(String(describing: lost))") }
        let stats = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(string: emulator.baseURL + "/_emulator/stats")!)) as? [String: Any])
        let binance = try XCTUnwrap((stats["streams"] as? [String: Any])?["binance"] as? [String: Any])
        XCTAssertEqual(binance["scheduled_closes"] as? Int, 1)
        XCTAssertEqual(binance["scheduled_stalls"] as? Int, 1)
        XCTAssertEqual(binance["connections"] as? Int, 2)
        XCTAssertGreaterThan(binance["messages"] as? Int ?? 0, 5)
    }

    func testADownVenueRefusesTheUpgradeWith503() throws {
        let emulator = try emulator(StreamPlan(downVenues: ["kraken"]))
        defer { emulator.stop() }
        XCTAssertThrowsError(try WebSocketClient.connect(ws(emulator) + "/v2")) { error in
            guard case WebSocketError.upgradeRefused(_, let status, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(status, 503)
        }
    }
}
