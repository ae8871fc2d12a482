import Foundation
import Staging
import Warehouse
import WarehouseTestSupport
import XCTest

/// The staging exporter on a silver.sqlite written here: the window's edges, the filters, the
/// three formats holding the same rows, and the files it must never replace.
final class StageExporterTests: XCTestCase {
    /// 2026-12-03T12:00:00Z.
    private let end = Date(timeIntervalSince1970: 1_796_299_200)

    /// Ticks every 10 minutes from 14:00 the day before to 12:00, for three venues and two assets.
    private func silverRoot() throws -> TemporaryRoot {
        let root = TemporaryRoot("stage")
        try FileManager.default.createDirectory(at: root.url, withIntermediateDirectories: true)
        let silver = try Database(path: root.layout.silverDatabase.path)
        try silver.execute("""
            CREATE TABLE _raw_files (raw_file_id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT, fetched_at TEXT);
            CREATE TABLE exchange_ticks (exchange TEXT NOT NULL, symbol TEXT NOT NULL, base TEXT NOT NULL, quote TEXT NOT NULL, bid REAL, ask REAL,
              last REAL, mid REAL, volume REAL, exchange_ts INTEGER, received_ts INTEGER NOT NULL, source TEXT NOT NULL, raw_line INTEGER NOT NULL,
              raw_file_id INTEGER NOT NULL, PRIMARY KEY (exchange, symbol, received_ts, raw_file_id, raw_line)) WITHOUT ROWID;
            CREATE INDEX exchange_ticks_time ON exchange_ticks(received_ts);
            INSERT INTO _raw_files VALUES (1, 'raw/2026-12-02/binance/ws_ticker/main-140000.jsonl', 'aa', NULL), (2, 'raw/2026-12-03/kraken/ws_ticker/main-000000.jsonl', NULL, NULL);
            """)
        let insert = try silver.prepare("INSERT INTO exchange_ticks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let endMillis = Int64(end.timeIntervalSince1970) * 1000
        var line: Int64 = 0
        for step in 0...132 {
            let received = endMillis - 22 * 3_600_000 + Int64(step) * 600_000
            for (venue, file) in [("binance", 1), ("kraken", 2), ("coinbase", 2)] {
                for base in ["BTC", "ETH"] {
                    line += 1
                    let mid = (base == "BTC" ? 90_000 : 3_000) + Double(step)
                    try insert.bind([.text(venue), .text("\(base)/USD"), .text(base), .text("USD"), .real(mid - 0.5), .real(mid + 0.5), .null, .real(mid),
                                     .real(12.25), venue == "kraken" ? .null : .integer(received - 40), .integer(received), .text("ws"), .integer(line), .integer(Int64(file))])
                    try insert.run()
                }
            }
        }
        return root
    }

    private func exporter(_ root: TemporaryRoot) -> StageExporter { StageExporter(layout: root.layout, toolVersion: "warehouse test") }

    func testTheWindowIsTheLastHoursBeforeTheEndAndTheFileIsNamedForIt() throws {
        let root = try silverRoot()
        let request = StageRequest(hours: 2, end: end, format: .csv)
        XCTAssertEqual(request.fileName, "ticks_20261203_120000_last_2h.csv")
        let run = try exporter(root).export(request, now: end)
        // 10:00, 10:10, ..., 11:50: twelve steps; 12:00 itself is the (exclusive) end.
        XCTAssertEqual(run.inventory.rows, 12 * 6)
        XCTAssertEqual(run.inventory.exchanges, ["binance", "coinbase", "kraken"])
        XCTAssertEqual(run.inventory.assets, ["BTC", "ETH"])
        XCTAssertEqual(run.inventory.rowsByExchangeAsset["kraken"]?["ETH"], 12)
        XCTAssertEqual(run.file.path, root.url.appendingPathComponent("staging/ticks_20261203_120000_last_2h.csv").path)
        let lines = try String(contentsOf: run.file, encoding: .utf8).split(separator: "\r\n")
        XCTAssertEqual(lines.first, Substring(StagedTicks.columnNames.joined(separator: ",")))
        XCTAssertEqual(lines.count, 1 + 72)
        XCTAssertTrue(lines[1].hasPrefix("binance,BTC/USD,BTC,USD,90119.5,90120.5,,90120.0,12.25,1796291999960,1796292000000,2026-12-03T10:00:00.000Z,ws,"), String(lines[1]))
        XCTAssertTrue(lines.last!.contains(",2026-12-03T11:50:00.000Z,"), String(lines.last!))
        let metadata = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: run.metadataFile)) as? [String: Any])
        let output = try XCTUnwrap(metadata["output"] as? [String: Any])
        XCTAssertEqual(output["sha256"] as? String, Fingerprint.sha256(try Data(contentsOf: run.file)))
        XCTAssertEqual(output["rows"] as? Int, 72)
        let window = try XCTUnwrap(metadata["window"] as? [String: Any])
        XCTAssertEqual(window["start"] as? String, "2026-12-03T10:00:00Z")
        XCTAssertEqual(window["end"] as? String, "2026-12-03T12:00:00Z")
        let sources = try XCTUnwrap(metadata["source_files"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["rows"] as? Int }, [24, 48])
        XCTAssertTrue(sources[1]["sha256"] is NSNull, "a sha256 silver did not record stays null, not invented")
    }

    func testFiltersNameTheFileAndEveryFormatHoldsTheSameRows() throws {
        let root = try silverRoot()
        var dumps: [[String]] = []
        for format in StageRequest.Format.allCases {
            let request = StageRequest(hours: 24, end: end, exchanges: ["Kraken", "binance"], assets: ["eth"], format: format)
            XCTAssertEqual(request.fileName, "ticks_20261203_120000_last_24h_exchanges-binance-kraken_assets-ETH.\(format.rawValue)")
            let run = try exporter(root).export(request, now: end)
            XCTAssertEqual(run.inventory.rows, 132 * 2, "22 hours of ten-minute steps, two venues")
            dumps.append(try Self.rows(of: run.file, format: format))
        }
        XCTAssertEqual(dumps[0].count, 264)
        XCTAssertEqual(dumps[0], dumps[1], "sqlite and csv")
        XCTAssertEqual(dumps[0], dumps[2], "sqlite and json")
        let sqlite = root.url.appendingPathComponent("staging/ticks_20261203_120000_last_24h_exchanges-binance-kraken_assets-ETH.sqlite").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: sqlite + "-wal"), "the SQLite export is one file")
    }

    /// Every row as one comparable line: the values in column order, numbers as Doubles.
    private static func rows(of url: URL, format: StageRequest.Format) throws -> [String] {
        func render(_ value: Any?) -> String {
            switch value {
            case let number as NSNumber: return String(number.doubleValue)
            case let text as String: return Double(text).map { String($0) } ?? text
            default: return ""
            }
        }
        switch format {
        case .sqlite:
            return try Database(path: url.path, readOnly: true).rows("SELECT * FROM exchange_ticks ORDER BY received_ts, exchange, symbol, raw_file, raw_line").map { row in
                row.map { value -> String in
                    switch value {
                    case .null: return ""
                    case .integer(let number): return String(Double(number))
                    case .real(let number): return String(number)
                    case .text(let text): return render(text)
                    }
                }.joined(separator: "|")
            }
        case .csv:
            return try String(contentsOf: url, encoding: .utf8).split(separator: "\r\n").dropFirst().map { line in
                line.split(separator: ",", omittingEmptySubsequences: false).map { render(String($0)) }.joined(separator: "|")
            }
        case .json:
            let objects = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
            return objects.map { object in StagedTicks.columnNames.map { render(object[$0] is NSNull ? nil : object[$0]) }.joined(separator: "|") }
        }
    }

    func testListOnlyWritesNothingAndAnEmptyWindowIsSaidNotFailed() throws {
        let root = try silverRoot()
        let inventory = try exporter(root).inventory(StageRequest(hours: 1, end: end, assets: ["SOL"]))
        XCTAssertEqual(inventory.rows, 0)
        XCTAssertEqual(inventory.exchanges, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.url.appendingPathComponent("staging").path))
        let run = try exporter(root).export(StageRequest(hours: 1, end: end.addingTimeInterval(-30 * 86_400), format: .json), now: end)
        XCTAssertEqual(run.inventory.rows, 0)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(contentsOf: run.file)) as? [Any])?.count, 0, "an empty window is an empty array, still valid JSON")
    }

    func testAnEarlierExportIsReplacedButAFileTheUserPutThereIsNot() throws {
        let root = try silverRoot()
        let request = StageRequest(hours: 3, end: end, format: .csv)
        let first = try exporter(root).export(request, now: end)
        let second = try exporter(root).export(request, now: end)
        XCTAssertEqual(first.sha256, second.sha256, "the same window of the same silver gives the same bytes")
        let mine = root.url.appendingPathComponent("staging/ticks_20261203_120000_last_3h.json")
        try Data("my notes".utf8).write(to: mine)
        XCTAssertThrowsError(try exporter(root).export(StageRequest(hours: 3, end: end, format: .json), now: end)) { error in
            XCTAssertEqual(error as? StageError, .notAStagingExport(path: mine.path))
            XCTAssertTrue("\(error)".contains("move it away or choose another folder with --out"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "my notes")
        XCTAssertThrowsError(try exporter(root).export(request, out: root.layout.rawDirectory, now: end)) { error in
            XCTAssertEqual(error as? StageError, .warehouseFile(path: root.layout.rawDirectory.appendingPathComponent("staging").path))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.url.appendingPathComponent("staging").path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }

    func testBadFlagsAreNamedAndNoSilverIsSaidWithWhatToRun() throws {
        let root = try silverRoot()
        let cases: [(StageRequest, String)] = [
            (StageRequest(hours: 0, end: end), "--hours"),
            (StageRequest(hours: 1, end: end, prefix: "a/b"), "--prefix"),
            (StageRequest(hours: 1, end: end, exchanges: [""]), "--exchanges"),
            (StageRequest(hours: 1, end: end, assets: ["BTC-USD"]), "--assets"),
        ]
        for (request, flag) in cases {
            XCTAssertThrowsError(try exporter(root).export(request, now: end)) { error in
                guard case .badRequest(let named, _)? = error as? StageError else { return XCTFail("\(error)") }
                XCTAssertEqual(named, flag)
            }
        }
        let empty = TemporaryRoot("stage-empty")
        XCTAssertThrowsError(try exporter(empty).inventory(StageRequest(hours: 1, end: end))) { error in
            XCTAssertTrue("\(error)".contains("warehouse materialize silver.exchange_ticks"), "\(error)")
        }
    }
}
