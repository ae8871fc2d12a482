import Collector
import Foundation
import MarketEmulator
import Warehouse
import WarehouseTestSupport
import XCTest

/// The collector in-process against the emulator's streams over loopback.
final class CollectorTests: XCTestCase {
    private func feeds(_ emulator: MarketEmulator, _ venues: [VenueFeed.Venue] = VenueFeed.Venue.allCases,
                       symbols: [String] = ["BTC/USDT", "ETH/USDT", "BTC/USD"], mode: VenueFeed.Mode = .ws) throws -> [VenueFeed] {
        let ws = emulator.baseURL.replacingOccurrences(of: "http://", with: "ws://")
        return try venues.map { try VenueFeed(venue: $0, baseURL: ws + $0.emulatorPath, restBase: emulator.baseURL, symbols: symbols, mode: mode) }
    }

    /// Short segments, polls every `every` seconds, no clock probes.
    private func pollingOptions(every: Double) -> Collector.Options {
        var options = Collector.Options()
        options.rollSeconds = 1
        options.pollSeconds = every
        options.probeSeconds = nil
        return options
    }

    private func collect(_ root: TemporaryRoot, _ feeds: [VenueFeed], seconds: Double, worker: String = "main") throws -> Collector.Report {
        var options = Collector.Options()
        options.worker = worker
        options.rollSeconds = 1
        return try Collector(layout: root.layout, feeds: feeds, options: options).run(stop: StopFlag(), duration: seconds)
    }

    /// Every line of every closed segment of a venue, checking each segment against its metadata.
    private func lines(_ root: TemporaryRoot, _ venue: String) throws -> [StreamSegment.Line] {
        let store = RawStore(layout: root.layout)
        var all: [StreamSegment.Line] = []
        for segment in try store.segments(of: RawDataset(source: venue, dataset: StreamSegment.tickerDataset)) {
            let body = try store.body(of: segment)
            let meta = try XCTUnwrap(try store.meta(of: segment))
            XCTAssertEqual(meta.sha256, Fingerprint.sha256(body), segment.relativePath)
            XCTAssertEqual(meta.bytes, body.count)
            var count = 0
            try StreamSegment.forEachLine(in: body) { bytes, _ in all.append(try StreamSegment.parse(bytes)); count += 1 }
            XCTAssertEqual(meta.params["lines"], String(count))
            XCTAssertEqual(body.last, 0x0A, "a closed segment ends with a whole line")
        }
        return all
    }

    private func events(_ lines: [StreamSegment.Line]) -> [(name: String, code: Int64?, reason: String?, detail: String?)] {
        lines.compactMap { if case .event(let name, let code, let reason, let detail) = $0.content { return (name, code, reason, detail) }; return nil }
    }

    private func streamStats(_ emulator: MarketEmulator) throws -> [String: [String: Int]] {
        let stats = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(string: emulator.baseURL + "/_emulator/stats")!)) as? [String: Any]
        return (stats?["streams"] as? [String: [String: Int]]) ?? [:]
    }

    func testDisconnectsCountedFromEventsEqualTheDropsTheEmulatorScheduled() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, streams: StreamPlan(messagesPerSecond: 20, disconnectEvery: 1.2, stallSeconds: 0.5))
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-drops")
        let report = try collect(root, try feeds(emulator), seconds: 7)
        let stats = try streamStats(emulator)
        for venue in report.venues {
            let lines = try lines(root, venue.venue)
            let closes = events(lines).filter { $0.name == "closed" && ["by_venue", "lost", "stalled"].contains($0.detail ?? "") }
            let scheduled = try XCTUnwrap(stats[venue.venue]?["scheduled_drops"])
            XCTAssertGreaterThanOrEqual(scheduled, 3, "\(venue.venue): the plan should have dropped it a few times in 7 s")
            XCTAssertEqual(closes.count, scheduled, "\(venue.venue): disconnects recorded \(closes.map { $0.detail ?? "" })")
            XCTAssertEqual(venue.disconnects, scheduled)
            XCTAssertEqual(stats[venue.venue]?["connections"], venue.connections)
            // Closes carry the venue's code; stalls are lost connections without one.
            XCTAssertEqual(closes.filter { $0.code == 1001 }.count, stats[venue.venue]?["scheduled_closes"])
            // One attempt before each reconnection, and perhaps one more that the stop cut short.
            XCTAssertTrue((venue.connections - 1...venue.connections).contains(events(lines).filter { $0.name == "reconnect_attempt" }.count))
            let messages = lines.filter { if case .message = $0.content { return true }; return false }
            XCTAssertEqual(messages.count, venue.messages)
            XCTAssertGreaterThan(messages.count, 50)
            XCTAssertEqual(events(lines).last?.name, "stopped", "the last line of a venue says the collector stopped")
            // Reception times never go back within a venue's stream.
            let times = lines.map(\.receivedMillis)
            XCTAssertEqual(times, times.sorted())
        }
    }

    func testARefusingVenueAndADownVenueAreRecordedWhileTheThirdStreams() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, streams: StreamPlan(messagesPerSecond: 10, refusingVenues: ["coinbase"], downVenues: ["kraken"]))
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-refused")
        var options = Collector.Options()
        options.rollSeconds = 1
        let feeds = try feeds(emulator)
        let report = try Collector(layout: root.layout, feeds: feeds, options: options).run(stop: StopFlag(), duration: 4)
        XCTAssertGreaterThan(report.venues.first { $0.venue == "binance" }!.messages, 20)

        let kraken = events(try lines(root, "kraken"))
        let failed = kraken.filter { $0.name == "connect_failed" }
        XCTAssertGreaterThanOrEqual(failed.count, 2, "it keeps trying, with backoff")
        XCTAssertTrue(failed.allSatisfy { ($0.reason ?? "").contains("HTTP 503") }, "\(failed.map { $0.reason ?? "" })")
        let delays = kraken.filter { $0.name == "reconnect_attempt" }.compactMap { $0.detail?.split(separator: " ")[3] }.compactMap { Double($0) }
        XCTAssertGreaterThanOrEqual(delays.count, 2)
        XCTAssertGreaterThan(delays.last!, delays.first!, "the backoff grows: \(delays)")

        let coinbase = events(try lines(root, "coinbase"))
        XCTAssertTrue(coinbase.contains { $0.name == "subscribe_failed" && ($0.reason ?? "").contains("Subscriptions are refused") }, "\(coinbase)")
        XCTAssertFalse(coinbase.contains { $0.name == "subscribed" })

        // While Kraken's stream is down its REST ticker is polled, so its prices go on; Binance, streaming, is never polled.
        let krakenPolls = try lines(root, "kraken").filter { $0.poll != nil }
        XCTAssertGreaterThanOrEqual(krakenPolls.count, 1, "the fallback polls a venue whose stream is down")
        XCTAssertTrue(krakenPolls.allSatisfy { $0.poll == "/0/public/Ticker?pair=XBTUSDT%2CETHUSDT%2CXBTUSD" }, "\(krakenPolls.map { $0.poll ?? "" })")
        if case .message(let body) = krakenPolls[0].content { XCTAssertTrue(body.contains(#""XXBTZUSD":{"a":["#), body) } else { XCTFail("a poll is a message line") }
        XCTAssertEqual(report.venues.first { $0.venue == "kraken" }!.polls, krakenPolls.count)
        XCTAssertTrue(try lines(root, "binance").allSatisfy { $0.poll == nil })
    }

    func testPollingModeStoresEveryRESTAnswerAndAFailedPollIsAnEvent() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30)
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-poll")
        let options = pollingOptions(every: 0.25)
        var feeds = try feeds(emulator, [.binance, .coinbase], symbols: ["BTC/USDT", "BTC/USD"], mode: .poll)
        // A product the venue does not list: 404 each time, recorded, and the other product goes on.
        feeds[1] = try VenueFeed(venue: .coinbase, baseURL: "ws://unused", restBase: emulator.baseURL, symbols: ["BTC/USD", "NOPE/USD"], mode: .poll)
        let report = try Collector(layout: root.layout, feeds: feeds, options: options).run(stop: StopFlag(), duration: 2)
        let binance = try lines(root, "binance")
        XCTAssertFalse(events(binance).contains { $0.name == "connected" }, "polling opens no stream")
        let bodies = binance.compactMap { line -> String? in if case .message(let text) = line.content, line.poll != nil { return text }; return nil }
        XCTAssertGreaterThanOrEqual(bodies.count, 5)
        XCTAssertEqual(report.venues[0].polls, bodies.count)
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [[String: Any]])
        XCTAssertEqual(first.first?["symbol"] as? String, "BTCUSDT", "the answer is stored as the venue sent it")
        let coinbase = try lines(root, "coinbase")
        XCTAssertTrue(coinbase.contains { $0.poll == "/products/BTC-USD/ticker" })
        let failed = events(coinbase).filter { $0.name == "poll_failed" }
        XCTAssertGreaterThanOrEqual(failed.count, 3)
        XCTAssertTrue(failed.allSatisfy { $0.code == 404 && $0.detail == "/products/NOPE-USD/ticker" }, "\(failed)")
        XCTAssertEqual(report.venues[1].failedPolls, failed.count)
    }

    /// A venue rate-limiting with a Retry-After no one can use ("nan") gets the fetchers' backoff
    /// from the poll interval; the polls go on.
    func testAnUnusableRetryAfterBacksOffAndPollingGoesOn() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, faults: FaultPlan(rateLimited: 0.5, retryAfter: "nan"))
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-retry-after")
        let options = pollingOptions(every: 0.2)
        let report = try Collector(layout: root.layout, feeds: try feeds(emulator, [.kraken], symbols: ["BTC/USD"], mode: .poll), options: options)
            .run(stop: StopFlag(), duration: 4)
        let kraken = try XCTUnwrap(report.venues.first)
        XCTAssertGreaterThan(kraken.failedPolls, 0, "the emulator rate-limited some polls")
        XCTAssertGreaterThan(kraken.polls, 2, "polls went on after a 429 with Retry-After: nan")
        let limited = events(try lines(root, "kraken")).filter { $0.name == "poll_failed" }
        XCTAssertTrue(limited.allSatisfy { $0.code == 429 }, "\(limited)")
    }

    func testClockProbesMeasureTheRoundTripToEachVenuesServerTime() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, streams: StreamPlan(messagesPerSecond: 5))
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-probe")
        var options = Collector.Options()
        options.rollSeconds = 1
        options.probeSeconds = 0.4
        let report = try Collector(layout: root.layout, feeds: try feeds(emulator), options: options).run(stop: StopFlag(), duration: 2.5)
        // The emulator answers after twice its venue's one-way latency (15, 40, 25 ms).
        for (venue, oneWay) in [("binance", 15.0), ("kraken", 40.0), ("coinbase", 25.0)] {
            let lines = try lines(root, venue)
            let probes = lines.filter { if case .event(let name, _, _, _) = $0.content { return name == "clock_probe" }; return false }
            XCTAssertGreaterThanOrEqual(probes.count, 3, venue)
            XCTAssertEqual(report.venues.first { $0.venue == venue }!.clockProbes, probes.count)
            for probe in probes {
                let halfTrip = Double(try XCTUnwrap(probe.roundTripMicros)) / 2000
                XCTAssertGreaterThanOrEqual(halfTrip, oneWay, venue)
                XCTAssertLessThan(halfTrip, oneWay + 40, venue)
                XCTAssertLessThanOrEqual(try XCTUnwrap(probe.sentMillis), probe.receivedMillis)
            }
            if case .event(_, let code, _, let detail)? = probes.first?.content {
                XCTAssertEqual(code, 200)
                XCTAssertTrue((detail ?? "").contains(["binance": "serverTime", "kraken": "unixtime", "coinbase": "epoch"][venue]!), detail ?? "")
            }
            let times = lines.map(\.receivedMillis)
            XCTAssertEqual(times, times.sorted(), "probes measured on another thread are written in order: \(venue)")
        }
    }

    func testAnUnknownKrakenSymbolIsRefusedByNameAndTheConnectionIdKeepsAllItsDigits() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30, streams: StreamPlan(messagesPerSecond: 10))
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-unknown")
        _ = try collect(root, try feeds(emulator, [.kraken], symbols: ["BTC/USD", "NOPE/USD"]), seconds: 2)
        let all = try lines(root, "kraken")
        let kraken = events(all)
        XCTAssertTrue(kraken.contains { $0.name == "subscribe_failed" && ($0.reason ?? "").contains("NOPE/USD") })
        XCTAssertTrue(kraken.contains { $0.name == "subscribed" && $0.detail == "BTC/USD" })
        let id = try XCTUnwrap(kraken.first { $0.name == "status" }?.detail?.split(separator: " ").last.map(String.init))
        XCTAssertNil(Int64(id))
        XCTAssertNotNil(UInt64(id), "the id is kept as its exact digits: \(id)")
        XCTAssertTrue(all.contains { if case .message(let text) = $0.content { return text.contains(id) }; return false }, "the status message is stored verbatim")
    }

    func testASecondCollectorWithTheSameWorkerNameIsRefused() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30)
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-busy")
        let stop = StopFlag()
        let feeds = try feeds(emulator, [.binance])
        let finished = expectation(description: "first collector stopped")
        Thread {
            _ = try? Collector(layout: root.layout, feeds: feeds).run(stop: stop, duration: 10)
            finished.fulfill()
        }.start()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertThrowsError(try collect(root, feeds, seconds: 1)) { error in
            guard case CollectorError.workerBusy(let worker, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(worker, "main")
            XCTAssertTrue("\(error)".contains("--worker"))
        }
        XCTAssertNoThrow(try collect(root, feeds, seconds: 0.5, worker: "second"), "another worker name runs beside it")
        stop.raise()
        wait(for: [finished], timeout: 10)
    }

    func testASegmentLeftOpenIsClosedAtItsLastWholeLine() throws {
        let emulator = try MarketEmulator(seed: 3, coinCount: 30)
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-orphan")
        let folder = root.layout.rawFolder(day: Day(Date()), dataset: RawDataset(source: "binance", dataset: StreamSegment.tickerDataset))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var bytes: [UInt8] = []
        for i in 0..<3 { StreamSegment.appendMessage(Array("{\"n\":\(i)}".utf8), receivedMillis: 1_764_720_000_000 + Int64(i), monotonicNanos: 1, connection: 1, to: &bytes) }
        let whole = bytes
        bytes += Array(#"{"received_ms":1764720000009,"monotonic_ns":1,"connection":1,"message":"{\"n\""#.utf8)
        try Data(bytes).write(to: folder.appendingPathComponent(".main-000001.jsonl.part"))
        let report = try collect(root, try feeds(emulator, [.binance]), seconds: 0.5)
        XCTAssertEqual(report.recovered, ["raw/\(Day(Date()))/binance/ws_ticker/main-000001.jsonl"])
        let recovered = folder.appendingPathComponent("main-000001.jsonl")
        XCTAssertEqual(try Data(contentsOf: recovered), Data(whole), "cut back to the last whole line")
        let store = RawStore(layout: root.layout)
        let segment = try XCTUnwrap(try store.segments(of: RawDataset(source: "binance", dataset: StreamSegment.tickerDataset)).first { $0.key == "main-000001" })
        let meta = try XCTUnwrap(try store.meta(of: segment))
        XCTAssertEqual(meta.params["lines"], "3")
        XCTAssertEqual(meta.sha256, Fingerprint.sha256(Data(whole)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".main-000001.jsonl.part").path))
    }
}
