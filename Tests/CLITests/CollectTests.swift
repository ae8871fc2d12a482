import Foundation
import MarketEmulator
import Warehouse
import WarehouseTestSupport
import XCTest

/// `warehouse collect` as a process next to `materialize`: kill -9 at random moments, builds
/// during collection, and incremental silver equal to a rebuild.
final class CollectTests: XCTestCase {
    private func cli(_ emulator: MarketEmulator) -> CLIRunner {
        let ws = emulator.baseURL.replacingOccurrences(of: "http://", with: "ws://")
        return CLIRunner(emulator: emulator, extra: ["BINANCE_WS_URL": ws, "KRAKEN_WS_URL": ws + "/v2", "COINBASE_WS_URL": ws])
    }

    private func parts(_ root: TemporaryRoot) -> [String] {
        let all = FileManager.default.enumerator(atPath: root.layout.rawDirectory.path)?.allObjects as? [String] ?? []
        return all.filter { $0.hasSuffix(".jsonl.part") }
    }

    /// The latest reception time of a whole line on disk, closed segments and open ones.
    private func lastLineMillis(_ root: TemporaryRoot) throws -> Int64? {
        var last: Int64?
        let all = FileManager.default.enumerator(atPath: root.layout.rawDirectory.path)?.allObjects as? [String] ?? []
        for part in all where part.hasSuffix(".jsonl.part") || part.hasSuffix(".jsonl") {
            let data = try Data(contentsOf: root.layout.rawDirectory.appendingPathComponent(part))
            StreamSegment.forEachLine(in: data) { bytes, _ in
                if let line = try? StreamSegment.parse(bytes) { last = max(last ?? 0, line.receivedMillis) }
            }
        }
        return last
    }

    func testKillDashNineLosesAtMostTheLastSecondAndARestartClosesWhatWasOpen() throws {
        let emulator = try MarketEmulator(seed: 5, coinCount: 30, streams: StreamPlan(messagesPerSecond: 40))
        defer { emulator.stop() }
        let runner = cli(emulator)
        let root = TemporaryRoot("collect-kill")
        let rounds = ProcessInfo.processInfo.environment["CI"] == nil ? 5 : 3
        var generator = SplitMix(seed: 11)
        for round in 0..<rounds {
            let process = try runner.start(["collect", "--root", root.path, "--roll-seconds", "1.5", "--symbols", "BTC/USDT,ETH/USD"])
            Thread.sleep(forTimeInterval: 1.2 + Double(generator.next() % 1000) / 1000 * 1.8)
            let killedAt = Int64(Date().timeIntervalSince1970 * 1000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            // What reached the disk is at most a flush interval (1 s) older than the kill.
            let last = try XCTUnwrap(try lastLineMillis(root), "round \(round): nothing on disk")
            XCTAssertGreaterThan(last, killedAt - 1_500, "round \(round): the last line on disk is \(killedAt - last) ms before the kill")
            // Every closed segment is whole and matches its metadata.
            let store = RawStore(layout: root.layout)
            for venue in ["binance", "kraken", "coinbase"] {
                for segment in try store.segments(of: RawDataset(source: venue, dataset: StreamSegment.tickerDataset)) {
                    let body = try store.body(of: segment)
                    XCTAssertEqual(try store.meta(of: segment)?.sha256, Fingerprint.sha256(body), segment.relativePath)
                    try StreamSegment.forEachLine(in: body) { bytes, _ in _ = try StreamSegment.parse(bytes) }
                }
            }
        }
        XCTAssertFalse(parts(root).isEmpty)
        let restart = try runner.run(["collect", "--root", root.path, "--duration", "2s", "--symbols", "BTC/USDT,ETH/USD"])
        XCTAssertEqual(restart.status, 0, restart.stderr)
        XCTAssertTrue(restart.stdout.contains("left open by an earlier run"), restart.stdout)
        XCTAssertEqual(parts(root), [], "the restart closed every open segment and its own")
        let built = try runner.run(["materialize", "tag:exchanges+", "--root", root.path, "--json"])
        XCTAssertEqual(built.status, 0, built.stderr)
        let rejects = try Database(path: root.layout.silverDatabase.path).rows("SELECT raw_file, locator, reason FROM _rejects WHERE asset = 'silver.exchange_ticks'")
        XCTAssertEqual(rejects.count, 0, "no half line reached silver: \(rejects.prefix(3))")
        XCTAssertGreaterThan(try XCTUnwrap(try built.asset("silver.exchange_ticks")?["rows"] as? Int), 100)
    }

    func testMaterializeDuringCollectionReadsOnlyClosedSegmentsAndAppendsWhatClosedSince() throws {
        let emulator = try MarketEmulator(seed: 5, coinCount: 30, streams: StreamPlan(messagesPerSecond: 20, disconnectEvery: 1.5, stallSeconds: 0.3, badMessages: 0.01))
        defer { emulator.stop() }
        let runner = cli(emulator)
        let root = TemporaryRoot("collect-beside")
        let collector = try runner.start(["collect", "--root", root.path, "--roll-seconds", "1", "--probe-seconds", "1"])
        defer { if collector.isRunning { kill(collector.processIdentifier, SIGKILL) } }
        Thread.sleep(forTimeInterval: 3)
        let first = try runner.run(["materialize", "tag:exchanges+", "--root", root.path, "--json"])
        XCTAssertEqual(first.status, 0, "the collector does not hold the run lock: \(first.stderr)")
        let silver = try Database(path: root.layout.silverDatabase.path)
        let files = try silver.rows("SELECT DISTINCT f.path FROM exchange_ticks t JOIN _raw_files f USING (raw_file_id) WHERE t.source = 'ws'").compactMap { $0[0].string }
        XCTAssertFalse(files.isEmpty)
        for path in files {
            XCTAssertTrue(path.hasSuffix(".jsonl"), path)
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.url.appendingPathComponent(String(path.dropLast(6)) + ".meta.json").path), "\(path) was read before it was closed")
        }
        Thread.sleep(forTimeInterval: 2)
        kill(collector.processIdentifier, SIGTERM)
        collector.waitUntilExit()
        XCTAssertEqual(collector.terminationStatus, 0, "SIGTERM stops it cleanly")
        XCTAssertEqual(parts(root), [], "every segment closed on SIGTERM")

        let second = try runner.run(["materialize", "tag:exchanges+", "--root", root.path, "--json"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let ticks = try XCTUnwrap(try second.asset("silver.exchange_ticks"))
        let rows = try XCTUnwrap(ticks["rows"] as? Int)
        let written = try XCTUnwrap(ticks["rows_written"] as? Int, "\(ticks)")
        XCTAssertGreaterThan(written, 0)
        XCTAssertLessThan(written, rows, "only the segments closed since were parsed and appended")
        let malformed = try silver.scalar("SELECT count(*) FROM _rejects WHERE asset = 'silver.exchange_ticks' AND locator LIKE 'line %' AND reason LIKE '%not JSON%'")?.int ?? 0
        XCTAssertGreaterThan(malformed, 0, "the emulator's bad messages are rejected with file and line")

        // Appending gave what a rebuild from all of bronze gives.
        let dump = { try TableDump.rows(root.layout.silverDatabase.path, "exchange_ticks", orderBy: "exchange, symbol, received_ts, raw_file_id, raw_line") }
        let connections = { try TableDump.rows(root.layout.silverDatabase.path, "exchange_connections", orderBy: "exchange, received_ts, raw_file_id, raw_line") }
        let (incremental, incrementalEvents) = (try dump(), try connections())
        let rebuilt = try runner.run(["materialize", "silver.exchange_ticks", "silver.exchange_connections", "--refresh", "--root", root.path])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertEqual(try dump(), incremental)
        XCTAssertEqual(try connections(), incrementalEvents)
        let stats = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(string: emulator.baseURL + "/_emulator/stats")!)) as? [String: Any]
        let streams = try XCTUnwrap(stats?["streams"] as? [String: [String: Int]])
        for venue in ["binance", "kraken", "coinbase"] {
            let counted = try silver.scalar("SELECT count(*) FROM exchange_connections WHERE exchange = ? AND event = 'closed' AND detail IN ('by_venue', 'lost', 'stalled')", [.text(venue)])?.int
            XCTAssertEqual(counted, streams[venue]?["scheduled_drops"], venue)
        }

        // gold.exchange_kpis equals an independent computation from the raw segments alone.
        let kpis = try runner.run(["materialize", "gold.exchange_kpis", "--root", root.path])
        XCTAssertEqual(kpis.status, 0, kpis.stderr)
        let oracle = try PythonOracle("exchange_kpis_oracle.py").run([root.path])
        XCTAssertEqual(oracle.status, 0, oracle.text)
        XCTAssertTrue(oracle.text.contains(" 0 problems"), oracle.text)
        let gold = try Database(path: root.layout.goldDatabase.path)
        for venue in ["binance", "kraken", "coinbase"] {
            let disconnects = try gold.scalar("SELECT max(disconnects) FROM exchange_kpis WHERE exchange = ?", [.text(venue)])?.int
            XCTAssertEqual(disconnects, streams[venue]?["scheduled_drops"], "\(venue): the KPI counts the drops the emulator made")
        }
        XCTAssertEqual(try gold.scalar("SELECT count(*) FROM exchange_kpis WHERE exchange = 'kraken' AND latency_source = 'not sent by the venue' AND latency_p50_ms IS NULL")?.int,
                       try gold.scalar("SELECT count(*) FROM exchange_kpis WHERE exchange = 'kraken'")?.int, "no latency is invented for Kraken")
        // Kraken's latency is estimated from measured round trips instead: the emulator answers its server time after 2 x 40 ms.
        let estimate = try XCTUnwrap(try gold.rows("SELECT min(clock_probes), min(latency_estimate_ms), max(latency_estimate_ms) FROM exchange_kpis WHERE exchange = 'kraken'").first)
        XCTAssertGreaterThanOrEqual(estimate[0].int ?? 0, 3, "a probe a second")
        XCTAssertGreaterThanOrEqual(estimate[1].double ?? 0, 40)
        XCTAssertLessThan(estimate[2].double ?? 1e9, 75)

        // gold.cross_exchange_spreads and its daily summary equal pandas' merge_asof on the same mids.
        let spreads = try runner.run(["materialize", "gold.cross_exchange_spreads", "gold.cross_exchange_spread_daily", "--root", root.path])
        XCTAssertEqual(spreads.status, 0, spreads.stderr)
        XCTAssertGreaterThan(try gold.scalar("SELECT count(*) FROM cross_exchange_spreads WHERE venues = 3 AND grid = '1s'")?.int ?? 0, 0)
        let asof = try PythonOracle("spreads_oracle.py").run([root.path, "10"])
        XCTAssertEqual(asof.status, 0, asof.text)
        XCTAssertTrue(asof.text.contains(" 0 problems"), asof.text)

        // silver.exchange_gaps equals pandas on the same ticks; the scheduled drops leave gaps with a close inside.
        let gapsBuilt = try runner.run(["materialize", "silver.exchange_gaps", "--root", root.path])
        XCTAssertEqual(gapsBuilt.status, 0, gapsBuilt.stderr)
        let gaps = try PythonOracle("gaps_oracle.py").run([root.path, "5"])
        XCTAssertEqual(gaps.status, 0, gaps.text)
        XCTAssertTrue(gaps.stdout.contains("\n0 problems\n"), gaps.text)
        XCTAssertGreaterThan(try silver.scalar("SELECT count(*) FROM exchange_gaps WHERE disconnects_within > 0")?.int ?? 0, 0, gaps.text)

        // `stage export`: a window ending mid-collection, in each format, equals silver's rows.
        let middle = try XCTUnwrap(try silver.scalar("SELECT received_ts FROM exchange_ticks ORDER BY received_ts LIMIT 1 OFFSET (SELECT count(*) / 2 FROM exchange_ticks)")?.int)
        let end = ISO8601.format(Date(timeIntervalSince1970: Double(middle / 1000)))
        let listed = try runner.run(["stage", "export", "--hours", "1", "--end", end, "--list-only", "--root", root.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("Exchanges (3): binance "), listed.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.url.appendingPathComponent("staging").path), "--list-only writes nothing")
        var metadata: [String] = []
        for flags in [["--format", "sqlite"], ["--format", "csv", "--exchanges", "kraken,binance", "--assets", "btc"], ["--format", "json", "--assets", "ETH"]] {
            let staged = try runner.run(["stage", "export", "--hours", "1", "--end", end, "--root", root.path] + flags)
            XCTAssertEqual(staged.status, 0, staged.stderr)
            let path = try XCTUnwrap(staged.stdout.split(separator: "\n").first { $0.hasPrefix("Run metadata: ") }?.dropFirst(14), staged.stdout)
            metadata.append(String(path))
        }
        let stamp = end.filter(\.isNumber)
        XCTAssertEqual(metadata.map { URL(fileURLWithPath: $0).lastPathComponent }, [
            "ticks_\(stamp.prefix(8))_\(stamp.dropFirst(8))_last_1h.sqlite.meta.json",
            "ticks_\(stamp.prefix(8))_\(stamp.dropFirst(8))_last_1h_exchanges-binance-kraken_assets-BTC.csv.meta.json",
            "ticks_\(stamp.prefix(8))_\(stamp.dropFirst(8))_last_1h_assets-ETH.json.meta.json",
        ])
        let staging = try PythonOracle("staging_oracle.py").run([root.path] + metadata)
        XCTAssertEqual(staging.status, 0, staging.text)
        XCTAssertTrue(staging.stdout.contains("\n0 problems\n") && !staging.stdout.contains(": 0 rows"), staging.text)
    }

    func testPriceSpikesTheEmulatorSentAreFlaggedAsOutliersAsPandasFindsThem() throws {
        let emulator = try MarketEmulator(seed: 9, coinCount: 30, streams: StreamPlan(messagesPerSecond: 20, priceSpikes: 0.02))
        defer { emulator.stop() }
        let runner = cli(emulator)
        let root = TemporaryRoot("collect-outliers")
        // The USDT pairs: all three venues quote them, so the cross-venue rule can judge every tick.
        let collected = try runner.run(["collect", "--root", root.path, "--duration", "6s", "--symbols", "BTC/USDT,ETH/USDT"])
        XCTAssertEqual(collected.status, 0, collected.stderr)
        let built = try runner.run(["materialize", "+silver.exchange_outliers", "--root", root.path])
        XCTAssertEqual(built.status, 0, built.stderr)
        let oracle = try PythonOracle("outliers_oracle.py").run([root.path, "10", "0.01", "10"])
        XCTAssertEqual(oracle.status, 0, oracle.text)
        XCTAssertTrue(oracle.stdout.contains("\n0 problems\n"), oracle.text)
        let stats = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(string: emulator.baseURL + "/_emulator/stats")!)) as? [String: Any]
        let streams = try XCTUnwrap(stats?["streams"] as? [String: [String: Int]])
        let spikes = streams.values.compactMap { $0["price_spikes"] }.reduce(0, +)
        XCTAssertGreaterThan(spikes, 5, "the emulator sent spikes")
        let silver = try Database(path: root.layout.silverDatabase.path)
        XCTAssertGreaterThan(try silver.scalar("SELECT count(*) FROM exchange_ticks")?.int ?? 0, 500, "flagged ticks stay in exchange_ticks")
        // Each spike is 5% off: the cross-venue rule finds it and nothing else (a spike sent before
        // a second venue had connected has no median to be judged against).
        // Every tick with its flag in a column: flagged ones carry their rule, the rest NULL, none dropped.
        XCTAssertEqual(try silver.scalar("SELECT count(*) FROM exchange_ticks_flagged")?.int, try silver.scalar("SELECT count(*) FROM exchange_ticks")?.int)
        XCTAssertEqual(try silver.scalar("SELECT count(*) FROM exchange_ticks_flagged WHERE outlier_rule IS NOT NULL")?.int,
                       try silver.scalar("SELECT count(*) FROM exchange_outliers")?.int)
        let crossVenue = try silver.rows("SELECT deviation FROM exchange_outliers WHERE rule LIKE '%cross_venue%'").compactMap { $0[0].double }
        XCTAssertTrue(crossVenue.allSatisfy { abs(abs($0) - 0.05) < 0.01 }, "\(crossVenue)")
        XCTAssertLessThanOrEqual(crossVenue.count, spikes)
        XCTAssertGreaterThanOrEqual(crossVenue.count, spikes - 2, "\(crossVenue.count) of \(spikes) spikes flagged: \(oracle.stdout)")
    }

    func testOutOfRangeNumbersInASegmentAreRejectedByLineAndNothingTraps() throws {
        let root = TemporaryRoot("collect-numbers")
        let folder = root.layout.rawFolder(day: Day(unixMilliseconds: 1_764_720_000_000), dataset: RawDataset(source: "binance", dataset: StreamSegment.tickerDataset))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ticker = #"{\"stream\":\"btcusdt@ticker\",\"data\":{\"e\":\"24hrTicker\",\"E\":1764719999990,\"s\":\"BTCUSDT\",\"b\":\"1\",\"a\":\"2\"}}"#
        let lines = [
            #"{"received_ms":1764720000000,"connection":1,"message":"\#(ticker)"}"#,
            #"{"received_ms":1e30,"connection":1,"message":"\#(ticker)"}"#,
            #"{"received_ms":-5,"connection":1,"event":"closed","detail":"lost"}"#,
            #"{"received_ms":NaN,"connection":1,"event":"closed"}"#,
            #"{"received_ms":1764720000500,"connection":1e30,"event":"connected"}"#,
            #"{"received_ms":1764720000600,"connection":1,"event":"closed","code":9.3e18}"#,
            #"{"received_ms":1764720000700,"connection":1,"message":"{\"stream\":\"x\",\"data\":{\"s\":\"BTCUSDT\",\"E\":1e30,\"b\":\"1\"}}"}"#,
            #"{"received_ms":1764720000800,"connection":1,"event":"closed","code":1001,"detail":"by_venue"}"#,
            #"{"received_ms":1764720000900,"connection":1,"message":"{\q}"}"#,
        ]
        let body = Data((lines.joined(separator: "\n") + "\n").utf8)
        try body.write(to: folder.appendingPathComponent("other-000000.jsonl"))
        let meta = SnapshotMeta(url: "written by a test", status: 101, fetchedAt: "2025-12-03T00:00:00Z", sha256: Fingerprint.sha256(body), bytes: body.count, params: [:])
        try meta.encoded().write(to: folder.appendingPathComponent("other-000000.meta.json"))

        let run = try CLIRunner().run(["materialize", "silver.exchange_ticks", "silver.exchange_connections", "gold.exchange_kpis", "--root", root.path])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let silver = try Database(path: root.layout.silverDatabase.path)
        XCTAssertEqual(try silver.scalar("SELECT count(*) FROM exchange_ticks")?.int, 1)
        XCTAssertEqual(try silver.scalar("SELECT count(*) FROM exchange_connections")?.int, 1, "only the whole, in-range event loads")
        let rejected = { (asset: String) in
            try silver.rows("SELECT locator, reason FROM _rejects WHERE asset = ? ORDER BY rowid", [.text(asset)]).map { "\($0[0].string ?? ""): \($0[1].string ?? "")" }
        }
        let ticks = try rejected("silver.exchange_ticks")
        for (line, reason) in [(2, "between 1970 and 2200"), (3, "between 1970 and 2200"), (4, "invalid JSON"), (5, "signed 64-bit"), (6, "signed 64-bit"), (7, "between 1970 and 2200")] {
            XCTAssertTrue(ticks.contains { $0.hasPrefix("line \(line):") && $0.contains(reason) }, "line \(line) (\(reason)) in \(ticks)")
        }
        let events = try rejected("silver.exchange_connections")
        XCTAssertEqual(events.map { String($0.prefix(while: { $0 != ":" })) }, ["line 2", "line 3", "line 4", "line 5", "line 6", "line 9"], "\(events)")
        XCTAssertTrue(ticks.contains { $0.hasPrefix("line 9: the line's message string holds a broken escape") }, "\(ticks)")
        let kpis = try Database(path: root.layout.goldDatabase.path).rows("SELECT messages, disconnects FROM exchange_kpis")
        XCTAssertEqual(kpis.map { $0.map { $0.int ?? -1 } }, [[1, 1]])
    }
    /// Segments another collector wrote with the venues' real REST answers (polls) and server
    /// times (clock probes): every recorded body loads, and a broken one is rejected by line.
    func testRecordedPollAnswersAndServerTimesInASegmentLoad() throws {
        let root = TemporaryRoot("collect-recorded-rest")
        let received: Int64 = 1_764_720_000_000
        let venues: [(venue: String, poll: String, ticker: String, time: String)] = [
            ("binance", "/api/v3/ticker/24hr?symbols=%5B%22BTCUSDT%22%5D", "real/binance/api_v3_ticker_24hr_BTCUSDT.json", "real/ws/binance/rest_api_v3_time.json"),
            ("kraken", "/0/public/Ticker?pair=XBTUSDT", "real/kraken/0_public_Ticker_XBTUSDT.json", "real/ws/kraken/rest_0_public_Time.json"),
            ("coinbase", "/products/BTC-USDT/ticker", "real/coinbase/exchange_products_BTC-USDT_ticker.json", "real/ws/coinbase/rest_time_OFFICIAL_DOC_EXAMPLE.json"),
        ]
        for (i, item) in venues.enumerated() {
            var bytes: [UInt8] = []
            let at = received + Int64(i) * 10
            StreamSegment.appendMessage([UInt8](try Fixtures.data(item.ticker)), receivedMillis: at, monotonicNanos: 1, connection: 0, poll: item.poll, to: &bytes)
            StreamSegment.appendEvent("clock_probe", code: 200, detail: String(decoding: try Fixtures.data(item.time), as: UTF8.self), sentMillis: at - 80,
                                      roundTripMicros: 81_250, receivedMillis: at + 1, monotonicNanos: 2, connection: 0, to: &bytes)
            StreamSegment.appendEvent("clock_probe", code: 200, detail: "{}", receivedMillis: at + 2, monotonicNanos: 3, connection: 0, to: &bytes)
            StreamSegment.appendMessage(Array(#"{"error":["EGeneral:Too many requests"]}"#.utf8), receivedMillis: at + 3, monotonicNanos: 4, connection: 0,
                                        poll: item.poll, to: &bytes)
            let folder = root.layout.rawFolder(day: Day(unixMilliseconds: received), dataset: RawDataset(source: item.venue, dataset: StreamSegment.tickerDataset))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: folder.appendingPathComponent("other-000000.jsonl"))
            let meta = SnapshotMeta(url: "written by a test", status: 101, fetchedAt: "2025-12-03T00:00:00Z", sha256: Fingerprint.sha256(Data(bytes)), bytes: bytes.count, params: [:])
            try meta.encoded().write(to: folder.appendingPathComponent("other-000000.meta.json"))
        }
        let run = try CLIRunner().run(["materialize", "silver.exchange_ticks", "silver.exchange_connections", "--root", root.path])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let silver = try Database(path: root.layout.silverDatabase.path)
        let ticks = try silver.rows("SELECT exchange, symbol, bid, ask, last, exchange_ts, source, raw_line FROM exchange_ticks ORDER BY exchange")
        let coinbaseTime = String(Double(try XCTUnwrap(ISO8601.unixMilliseconds("2024-03-13T11:10:41.270099Z"))))
        let expected: [[String]] = [
            ["binance", "BTC/USDT", "60755.18", "60755.19", "60755.18", "1634944401452.0", "poll", "1.0"],
            ["coinbase", "BTC/USDT", "73360.34", "73369.19", "73367.8", coinbaseTime, "poll", "1.0"],
            ["kraken", "BTC/USDT", "105944.2", "105944.3", "105899.4", "NULL", "poll", "1.0"],
        ]
        XCTAssertEqual(ticks.map { $0.map { $0.string ?? $0.double.map { String($0) } ?? "NULL" } }, expected)
        let probes = try silver.rows("SELECT exchange, server_ts, sent_ts, round_trip_ms FROM exchange_connections WHERE event = 'clock_probe' ORDER BY exchange")
        XCTAssertEqual(probes.map { $0[0].string ?? "" }, ["binance", "coinbase", "kraken"])
        let servers: [Int] = [1_633_835_466_289, 1_420_674_445_201, 1_762_820_224_000]
        XCTAssertEqual(probes.map { $0[1].int ?? 0 }, servers, "Kraken's clock is known to the second")
        let sent: [Int] = [Int(received) - 80, Int(received) + 20 - 80, Int(received) + 10 - 80]
        XCTAssertEqual(probes.map { $0[2].int ?? 0 }, sent)
        XCTAssertEqual(probes.map { $0[3].double ?? 0 }, [81.25, 81.25, 81.25])
        let rejects = try silver.rows("SELECT asset, locator, reason FROM _rejects ORDER BY asset, raw_file").map { "\($0[0].string ?? "") \($0[1].string ?? ""): \($0[2].string ?? "")" }
        XCTAssertEqual(rejects.filter { $0.contains("exchange_connections line 3: a clock_probe needs sent_ms, rtt_us") }.count, 3, "\(rejects)")
        XCTAssertTrue(rejects.contains { $0.contains("exchange_ticks line 4: Kraken answered an error: EGeneral:Too many requests") }, "\(rejects)")

        // USD and USDT stay distinct unless configured as one: then the symbol says USD and the quote keeps what the venue quoted.
        var merged = CLIRunner()
        merged.environment["WAREHOUSE_QUOTE_AS"] = "USDT=USD"
        let rebuilt = try merged.run(["materialize", "silver.exchange_ticks", "--root", root.path])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertEqual(try silver.rows("SELECT DISTINCT symbol, quote FROM exchange_ticks").map { "\($0[0].string ?? "") \($0[1].string ?? "")" }, ["BTC/USD USDT"])
        merged.environment["WAREHOUSE_QUOTE_AS"] = "USDT"
        let wrong = try merged.run(["materialize", "silver.exchange_ticks", "--root", root.path])
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("'USDT' is not written QUOTE=AS_QUOTE"), wrong.stderr)
    }
    /// wss:// through a loopback TLS front: a certificate the trust store holds streams; one it
    /// does not, or one for another host, is a connect_failed event saying so, never a crash.
    func testWssStreamsThroughTLSWithAVerifiedCertificateOnly() throws {
        let emulator = try MarketEmulator(seed: 5, coinCount: 30, streams: StreamPlan(messagesPerSecond: 20))
        defer { emulator.stop() }
        let root = TemporaryRoot("collect-tls")
        let cert = root.url.appendingPathComponent("cert.pem").path, key = root.url.appendingPathComponent("key.pem").path
        try FileManager.default.createDirectory(at: root.url, withIntermediateDirectories: true)
        let made = try Shell.run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                                             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"])
        XCTAssertEqual(made.status, 0, made.text)
        let front = try LoopbackServer("tls_terminator.py", [cert, key, String(emulator.port)])
        func collect(_ host: String, trust: String?) throws -> (CLIRunner.Result, [StreamSegment.Line]) {
            var runner = cli(emulator)
            runner.environment["BINANCE_WS_URL"] = "wss://\(host):\(front.port)"
            if let trust { runner.environment["SSL_CERT_FILE"] = trust }
            let folder = TemporaryRoot("collect-tls-run")
            let run = try runner.run(["collect", "--exchanges", "binance", "--duration", "3s", "--probe-seconds", "0", "--no-fallback", "--roll-seconds", "1", "--root", folder.path])
            let store = RawStore(layout: folder.layout)
            var lines: [StreamSegment.Line] = []
            for segment in try store.segments(of: RawDataset(source: "binance", dataset: StreamSegment.tickerDataset)) {
                try StreamSegment.forEachLine(in: try store.body(of: segment)) { bytes, _ in lines.append(try StreamSegment.parse(bytes)) }
            }
            return (run, lines)
        }
        let (trusted, lines) = try collect("localhost", trust: cert)
        XCTAssertEqual(trusted.status, 0, trusted.stdout + trusted.stderr)
        XCTAssertTrue(trusted.stdout.contains("Collecting binance from wss://localhost:\(front.port)/stream?streams="), trusted.stdout)
        XCTAssertGreaterThan(lines.filter { if case .message(let text) = $0.content { return text.contains("24hrTicker") }; return false }.count, 20)

        let (_, untrusted) = try collect("localhost", trust: nil)
        let failures = untrusted.compactMap { line -> String? in if case .event("connect_failed", _, let reason, _) = line.content { return reason }; return nil }
        XCTAssertFalse(failures.isEmpty)
        XCTAssertTrue(failures.allSatisfy { $0.contains("TLS handshake failed: the server's certificate is not trusted") }, "\(failures)")
        XCTAssertFalse(untrusted.contains { if case .message = $0.content { return true }; return false }, "nothing is read from an unverified server")

        let (_, wrongHost) = try collect("127.0.0.1", trust: cert)
        let mismatch = wrongHost.compactMap { line -> String? in if case .event("connect_failed", _, let reason, _) = line.content { return reason }; return nil }
        XCTAssertFalse(mismatch.isEmpty)
        XCTAssertTrue(mismatch.allSatisfy { $0.contains("TLS handshake failed") && $0.lowercased().contains("mismatch") }, "\(mismatch)")
    }
    /// A reviewer lists, reads and compares segments; old days compress to .jsonl.gz and silver
    /// reads them as the same files, parsing nothing again.
    func testSegmentsAreListedShownComparedAndCompressedWithoutReparsing() throws {
        let emulator = try MarketEmulator(seed: 5, coinCount: 30, streams: StreamPlan(messagesPerSecond: 20, disconnectEvery: 1.5, stallSeconds: 0.3))
        defer { emulator.stop() }
        var runner = cli(emulator)
        let root = TemporaryRoot("collect-review")
        let collected = try runner.run(["collect", "--exchanges", "kraken", "--symbols", "BTC/USD", "--duration", "3.5s", "--roll-seconds", "1", "--root", root.path])
        XCTAssertEqual(collected.status, 0, collected.stderr)
        let listed = try runner.run(["raw", "ls", "bronze.kraken_ws_ticker", "--root", root.path, "--json"])
        let entries = try XCTUnwrap(try listed.json() as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(entries.count, 3)
        XCTAssertTrue(entries.allSatisfy { $0["segment"] as? Bool == true && ($0["path"] as? String ?? "").hasSuffix(".jsonl") }, "\(entries)")
        XCTAssertEqual(entries.map { $0["lines"] as? Int ?? 0 }.reduce(0, +) > 0, true)
        let plain = try runner.run(["raw", "ls", "kraken/ws_ticker", "--root", root.path])
        XCTAssertTrue(plain.stdout.contains("closed segment(s)."), plain.stdout)

        let first = try XCTUnwrap(entries.first?["path"] as? String), second = try XCTUnwrap(entries.dropFirst().first?["path"] as? String)
        let shown = try runner.run(["raw", "show", first, "--lines", "1-2", "--root", root.path])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("\"format\" : \"stream-segment-1\""), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("event connected"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("lines: "), "the summary comes first: \(shown.stdout)")
        let json = try XCTUnwrap(try runner.run(["raw", "show", first, "--lines", "3-4", "--root", root.path, "--json"]).json() as? [String: Any])
        XCTAssertEqual((json["lines"] as? [[String: Any]])?.map { $0["line"] as? Int ?? 0 }, [3, 4])
        let badRange = try runner.run(["raw", "show", first, "--lines", "5-2", "--root", root.path])
        XCTAssertEqual(badRange.status, 2)
        XCTAssertTrue(badRange.stderr.contains("--lines '5-2' is not a line range"), badRange.stderr)

        let diff = try runner.run(["raw", "diff", second, "--root", root.path, "--json"])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        let compared = try XCTUnwrap(try diff.json() as? [String: Any])
        XCTAssertEqual(compared["old"] as? String, first, "one path compares with the writer's segment before it")
        let figures = try XCTUnwrap(compared["figures"] as? [[String: Any]])
        XCTAssertTrue(figures.contains { $0["figure"] as? String == "messages" })
        XCTAssertTrue(figures.contains { $0["figure"] as? String == "first received" && $0["changed"] as? Bool == true })
        let mixed = try runner.run(["raw", "diff", first, "raw/2026-11-23/coingecko/markets/page-1.json", "--root", root.path])
        XCTAssertEqual(mixed.status, 2)

        let built = try runner.run(["materialize", "silver.exchange_ticks", "silver.exchange_connections", "--root", root.path])
        XCTAssertEqual(built.status, 0, built.stderr)
        let before = try TableDump.rows(root.layout.silverDatabase.path, "exchange_ticks", orderBy: "exchange, symbol, received_ts, raw_file_id, raw_line")
        // Two days on, the collection's day is old enough to compress.
        runner.environment["WAREHOUSE_NOW"] = ISO8601.format(Date().addingTimeInterval(2 * 86_400))
        let compressed = try runner.run(["raw", "compress", "--older-than", "1d", "--root", root.path, "--json"])
        XCTAssertEqual(compressed.status, 0, compressed.stderr)
        XCTAssertEqual((try compressed.json() as? [String: Any])?["snapshots"] as? Int, entries.count)
        let after = try XCTUnwrap(try runner.run(["raw", "ls", "kraken/ws_ticker", "--root", root.path, "--json"]).json() as? [[String: Any]])
        XCTAssertTrue(after.allSatisfy { ($0["path"] as? String ?? "").hasSuffix(".jsonl.gz") && $0["compressed"] as? Bool == true }, "\(after)")
        let reread = try runner.run(["materialize", "silver.exchange_ticks", "--root", root.path, "--json"])
        XCTAssertEqual(reread.status, 0, reread.stderr)
        let rerun = try XCTUnwrap(try reread.asset("silver.exchange_ticks"))
        XCTAssertEqual(rerun["status"] as? String, "success", "the raw files' names changed, so it ran: \(rerun)")
        XCTAssertEqual(rerun["rows_written"] as? Int, 0, "compressed segments are the same files: nothing parsed again")
        XCTAssertEqual(try TableDump.rows(root.layout.silverDatabase.path, "exchange_ticks", orderBy: "exchange, symbol, received_ts, raw_file_id, raw_line").count, before.count)
        let shownCompressed = try runner.run(["raw", "show", first + ".gz", "--lines", "1", "--root", root.path])
        XCTAssertTrue(shownCompressed.stdout.contains("event connected"), shownCompressed.stdout)
    }
    /// The issue's end-to-end promise, shortened: a collection, then `materialize tag:exchanges+`,
    /// fills every exchange table (forecasts on 1-second bars here; `collect --duration 10m` with
    /// the default 10-second bars does the same, by hand).
    func testACollectionThenOneMaterializeFillsEveryExchangeTable() throws {
        let emulator = try MarketEmulator(seed: 8, coinCount: 30, streams: StreamPlan(messagesPerSecond: 4, disconnectEvery: 9, stallSeconds: 2, priceSpikes: 0.01))
        defer { emulator.stop() }
        var runner = cli(emulator)
        runner.environment["WAREHOUSE_FORECAST_BARS"] = "1s"
        let root = TemporaryRoot("collect-everything")
        let collected = try runner.run(["collect", "--duration", "36s", "--symbols", "BTC/USDT,ETH/USDT,BTC/USD", "--probe-seconds", "5", "--root", root.path])
        XCTAssertEqual(collected.status, 0, collected.stderr)
        let built = try runner.run(["materialize", "tag:exchanges+", "--root", root.path])
        XCTAssertEqual(built.status, 0, built.stdout + built.stderr)
        XCTAssertFalse(built.stdout.contains("WARN "), "every check passes on what the collector wrote: \(built.stdout)")
        let silver = try Database(path: root.layout.silverDatabase.path, readOnly: true), gold = try Database(path: root.layout.goldDatabase.path, readOnly: true)
        for table in ["exchange_ticks", "exchange_connections", "exchange_gaps", "exchange_outliers"] {
            XCTAssertGreaterThan(try silver.scalar("SELECT count(*) FROM \(table)")?.int ?? 0, 0, "silver.\(table) is empty")
        }
        for table in ["exchange_kpis", "cross_exchange_spreads", "cross_exchange_spread_daily", "forecast_metrics", "price_forecasts"] {
            XCTAssertGreaterThan(try gold.scalar("SELECT count(*) FROM \(table)")?.int ?? 0, 0, "gold.\(table) is empty")
        }
        XCTAssertEqual(try gold.scalar("SELECT count(DISTINCT exchange) FROM price_forecasts WHERE frequency = '1s'")?.int, 3)
        let oracle = try PythonOracle("forecasts_oracle.py").run([root.path, "1s"])
        XCTAssertEqual(oracle.status, 0, oracle.text)
        XCTAssertTrue(oracle.text.split(separator: "\n").contains("0 problems"), oracle.text)
        let staged = try runner.run(["stage", "export", "--hours", "1", "--format", "csv", "--end", ISO8601.format(Date()), "--root", root.path, "--json"])
        XCTAssertEqual(staged.status, 0, staged.stderr)
        let run = try XCTUnwrap(try staged.json() as? [String: Any])
        XCTAssertGreaterThan((run["output"] as? [String: Any])?["rows"] as? Int ?? 0, 100, "\(run)")
    }
    /// `--mode` per venue from the command line: Kraken polled while Binance streams; a mode or
    /// venue that does not exist is a usage error naming it.
    func testModeFlagPollsOneVenueAndRefusesWhatItDoesNotKnow() throws {
        let emulator = try MarketEmulator(seed: 5, coinCount: 30, streams: StreamPlan(messagesPerSecond: 10))
        defer { emulator.stop() }
        let runner = cli(emulator)
        let root = TemporaryRoot("collect-mode")
        let run = try runner.run(["collect", "--exchanges", "binance,kraken", "--symbols", "BTC/USDT", "--mode", "kraken=poll", "--poll-seconds", "0.5",
                                  "--duration", "3s", "--probe-seconds", "0", "--roll-seconds", "1", "--root", root.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Polling kraken at \(emulator.baseURL) every 0.5 s"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Collecting binance from ws://"), run.stdout)
        XCTAssertTrue(run.stdout.split(separator: "\n").contains { $0.hasPrefix("kraken: 0 messages, 0 connections") && $0.contains(" polls") }, run.stdout)
        let built = try runner.run(["materialize", "silver.exchange_ticks", "--root", root.path])
        XCTAssertEqual(built.status, 0, built.stderr)
        let sources = try Database(path: root.layout.silverDatabase.path).rows("SELECT exchange, source, count(*) FROM exchange_ticks GROUP BY 1, 2 ORDER BY 1, 2")
        XCTAssertEqual(sources.map { "\($0[0].string ?? "") \($0[1].string ?? "")" }, ["binance ws", "kraken poll"])
        XCTAssertGreaterThanOrEqual(sources.last?[2].int ?? 0, 4, "a poll every half second for 3 s")

        for (mode, message) in [("wss", "'wss' is not a mode"), ("bitstamp=poll", "'bitstamp' is not a venue")] {
            let wrong = try runner.run(["collect", "--mode", mode, "--duration", "1s", "--root", root.path])
            XCTAssertEqual(wrong.status, 2, mode)
            XCTAssertTrue(wrong.stderr.contains(message), wrong.stderr)
        }
    }
}
