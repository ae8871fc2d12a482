import Foundation
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// Hostile raw input: numbers no integer holds, shapes that drop rows, bodies that no longer
/// match their metadata. Nothing crashes, nothing is lost without a reject naming the file and
/// the JSON path, and a changed body is noticed.
final class BadInputTests: XCTestCase {
    func build(_ root: TemporaryRoot, _ asset: AssetKey) throws -> BuildOutcome {
        let spec = SilverAssets.specs().first { $0.key == asset }!
        return try spec.build(BuildContext(key: asset, version: spec.version, layout: root.layout, runID: "test", clock: TestClock.clock))
    }

    func rejects(_ root: TemporaryRoot) throws -> [[String]] {
        try Database(path: root.layout.silverDatabase.path, readOnly: true)
            .rows("SELECT raw_file, locator, reason FROM _rejects ORDER BY rowid").map { $0.map(\.rendered) }
    }

    func testTimestampsNoIntegerHoldsAreRejectedByPath() throws {
        let root = TemporaryRoot()
        let body = Data(#"{"prices":[[1e30,1],[9223372036854775807,2],[1e19,3],["NaN",4],[-5,5],[1700000000000,6]],"market_caps":[],"total_volumes":[]}"#.utf8)
        let file = try ForeignRawWriter.write(body, root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "bitcoin")
        let outcome = try build(root, SilverAssets.coinPrices)
        XCTAssertEqual(outcome.rows, 1)
        let found = try rejects(root)
        XCTAssertEqual(found.map { $0[1] }, ["prices[0][0]", "prices[1][0]", "prices[2][0]", "prices[3][0]", "prices[4][0]"])
        XCTAssertTrue(found.allSatisfy { $0[0] == file && $0[2].contains("is not a Unix time in milliseconds between 1970 and 2200") }, "\(found)")
        // Market caps and volumes with such times only fail to line up; they never trap either.
        let caps = Data(#"{"prices":[[1700000000000,6]],"market_caps":[[1e300,1]],"total_volumes":[["Infinity",1]]}"#.utf8)
        try ForeignRawWriter.write(caps, root: root, day: "2026-11-21", dataset: "coingecko/market_chart", key: "ether")
        XCTAssertEqual(try build(root, SilverAssets.coinPrices).rows, 2)
    }

    func testAYahooOffsetThatIsNoOffsetRejectsTheFileByName() throws {
        let root = TemporaryRoot()
        let body = YahooChartBody(timestamps: [1_700_000_000], closes: [10]).text(meta: #""currency":"USD","gmtoffset":1e300"#)
        let file = try ForeignRawWriter.write(Data(body.utf8), root: root, day: "2026-11-20", dataset: "yahoo/chart", key: "AAPL")
        XCTAssertEqual(try build(root, SilverAssets.stockPrices).rows, 0)
        let found = try rejects(root)
        XCTAssertEqual(found.first?[0], file)
        XCTAssertTrue(found.first?[2].contains("meta.gmtoffset 1e+300 is not a UTC offset") ?? false, "\(found)")
    }

    func testEveryYahooBarThatDoesNotLoadHasAReject() throws {
        let root = TemporaryRoot()
        let notAList = YahooChartBody(timestamps: [], closes: [10, 11]).text(timestamps: #""timestamp":1700000000"#)
        let listed = try ForeignRawWriter.write(Data(notAList.utf8), root: root, day: "2026-11-20", dataset: "yahoo/chart", key: "AAPL")
        let day = 86_400
        let odd = YahooChartBody(timestamps: [], closes: [10, 11, 12, 13, 14, 15])
            .text(timestamps: #""timestamp":[1700000000,null,"NaN",\#(1_700_000_000 + day),\#(1_700_000_000 + day),\#(1_700_000_000 + 2 * day)]"#)
        let oddFile = try ForeignRawWriter.write(Data(odd.utf8), root: root, day: "2026-11-20", dataset: "yahoo/chart", key: "MSFT")
        let outcome = try build(root, SilverAssets.stockPrices)
        XCTAssertEqual(outcome.rows, 3, "the first bar, the later of the two on one day, and the last")
        let found = try rejects(root)
        XCTAssertEqual(found.count, 4, "\(found)")
        XCTAssertEqual(found.filter { $0[0] == listed }.map { $0[1] }, ["file"])
        XCTAssertTrue(found.first { $0[0] == listed }?[2].contains("\"timestamp\" is 1700000000, not a list") ?? false)
        XCTAssertEqual(Set(found.filter { $0[0] == oddFile }.map { $0[1] }), ["timestamp[1]", "timestamp[2]", "timestamp[3]"])
        XCTAssertTrue(found.first { $0[1] == "timestamp[3]" }?[2].contains("duplicate ticker=MSFT, date=2023-11-15") ?? false, "\(found)")
        let closes = try Database(path: root.layout.silverDatabase.path).rows("SELECT close FROM stock_prices WHERE ticker = 'MSFT' ORDER BY date")
        XCTAssertEqual(closes, [[.real(10)], [.real(14)], [.real(15)]])
    }

    func testABodyThatNoLongerMatchesItsMetadataIsRejectedWhole() throws {
        let root = TemporaryRoot()
        let body = ForeignRawWriter.marketChart([.init(1_700_000_000_000, 5, 50, 1), .init(1_700_003_600_000, 6, 60, 1)])
        let file = try ForeignRawWriter.write(body, root: root, day: "2026-11-20", dataset: "coingecko/market_chart", key: "bitcoin")
        // Another tool edits a price in place and leaves the metadata as it was.
        let edited = Data(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "[1700000000000,5.0]", with: "[1700000000000,9.0]").utf8)
        XCTAssertEqual(edited.count, body.count)
        try edited.write(to: root.url.appendingPathComponent(file))
        XCTAssertEqual(try build(root, SilverAssets.coinPrices).rows, 0)
        let found = try rejects(root)
        XCTAssertEqual(found.map { [$0[0], $0[1]] }, [[file, "file"]])
        XCTAssertTrue(found[0][2].contains("raw/2026-11-20/coingecko/market_chart/bitcoin.meta.json says"), found[0][2])
    }

    func testIncrementalCoinPricesNoticesABodyChangedInPlace() throws {
        let root = TemporaryRoot()
        let folder = root.url.appendingPathComponent("raw/2026-11-20/coingecko/market_chart")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A file the user brought, without metadata, and one fetched with it.
        let mine = folder.appendingPathComponent("mine.json")
        try ForeignRawWriter.marketChart([.init(1_700_000_000_000, 5, nil, nil)]).write(to: mine)
        let fetched = try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(1_700_000_000_000, 7, nil, nil)]), root: root,
                                                 day: "2026-11-20", dataset: "coingecko/market_chart", key: "fetched")
        XCTAssertEqual(try build(root, SilverAssets.coinPrices).rows, 2)
        func prices() throws -> [[SQLValue]] {
            try Database(path: root.layout.silverDatabase.path).rows("SELECT coin_id, price FROM coin_prices ORDER BY coin_id")
        }
        XCTAssertEqual(try prices(), [["fetched", .real(7)], ["mine", .real(5)]])

        // The user corrects their file; a later snapshot arrives, so the build would extend in place.
        try ForeignRawWriter.marketChart([.init(1_700_000_000_000, 8, nil, nil)]).write(to: mine)
        try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(1_700_003_600_000, 7.5, nil, nil)]), root: root,
                                   day: "2026-11-21", dataset: "coingecko/market_chart", key: "fetched")
        _ = try build(root, SilverAssets.coinPrices)
        XCTAssertEqual(try Database(path: root.layout.silverDatabase.path).rows("SELECT price FROM coin_prices WHERE coin_id = 'mine'"), [[.real(8)]],
                       "the changed body is read again")
        XCTAssertEqual(try Database(path: root.layout.silverDatabase.path).scalar("SELECT count(*) FROM coin_prices WHERE coin_id = 'fetched'"), .integer(2))

        // The fetched one is edited in place: its metadata no longer vouches for it, so its points go, with a reject.
        try ForeignRawWriter.marketChart([.init(1_700_000_000_000, 9, nil, nil)]).write(to: root.url.appendingPathComponent(fetched))
        _ = try build(root, SilverAssets.coinPrices)
        XCTAssertEqual(try Database(path: root.layout.silverDatabase.path).rows("SELECT ts FROM coin_prices WHERE coin_id = 'fetched'"),
                       [[.integer(1_700_003_600_000)]])
        XCTAssertEqual(try rejects(root).map { $0[0] }, [fetched])
    }

    func testABodyThatCannotBeReadIsRejectedWithTheReasonAndTheRestLoads() throws {
        let root = TemporaryRoot()
        try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(1_790_000_000_000, 5, nil, nil)]), root: root,
                                   day: "2026-11-20", dataset: "coingecko/market_chart", key: "bitcoin")
        // A folder where a body should be: listed as a snapshot, unreadable as one.
        try FileManager.default.createDirectory(at: root.url.appendingPathComponent("raw/2026-11-20/coingecko/market_chart/ghost.json"),
                                                withIntermediateDirectories: true)
        let outcome = try build(root, SilverAssets.coinPrices)
        XCTAssertEqual(outcome.rows, 1)
        let rejected = try rejects(root)
        XCTAssertEqual(rejected.count, 1)
        XCTAssertEqual(rejected.first?[0...1], ["raw/2026-11-20/coingecko/market_chart/ghost.json", "file"])
        XCTAssertTrue(rejected.first?[2].contains("cannot read raw/2026-11-20/coingecko/market_chart/ghost.json") ?? false, "\(rejected)")
    }
}

/// A minimal Yahoo v8 chart body.
struct YahooChartBody {
    let timestamps: [Int64]
    let closes: [Double]

    func text(meta: String = #""currency":"USD","exchangeTimezoneName":"America/New_York","gmtoffset":-18000"#,
              timestamps stamps: String? = nil) -> String {
        let list = closes.map { "\($0)" }.joined(separator: ",")
        let stampText = stamps ?? "\"timestamp\":[\(timestamps.map(String.init).joined(separator: ","))]"
        return """
            {"chart":{"result":[{"meta":{\(meta)},\(stampText),
            "indicators":{"quote":[{"open":[\(list)],"high":[\(list)],"low":[\(list)],"close":[\(list)],"volume":[\(closes.map { _ in "1" }.joined(separator: ","))]}]}}],"error":null}}
            """
    }
}
