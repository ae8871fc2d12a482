import Foundation
import Logging
import Warehouse
import WarehouseTestSupport
import XCTest

final class CheckTests: XCTestCase {
    func makeRoot() throws -> TemporaryRoot {
        let root = TemporaryRoot("checks")
        try root.layout.prepare()
        let silver = try Database(path: root.layout.silverDatabase.path)
        try silver.execute("""
            CREATE TABLE bars (ticker TEXT, date TEXT, open REAL, high REAL, low REAL, close REAL, volume REAL, category TEXT);
            INSERT INTO bars VALUES ('AAPL','2026-11-20',10,12,9,11,100,'a'), ('AAPL','2026-11-21',10,9,11,10,100,'b'),
                                    ('MSFT','2026-11-20',NULL,5,4,4.5,-1,'zzz'), ('MSFT','2026-11-20',5,6,4,5,1,NULL);
            CREATE TABLE tickers (ticker TEXT); INSERT INTO tickers VALUES ('AAPL');
            """)
        return root
    }

    func testEveryKindSelectsItsFailingRows() throws {
        let root = try makeRoot()
        let checks = [
            AssetCheck("not_null", .notNull(["open", "category"])),
            AssetCheck("unique", .unique(["ticker", "date"])),
            AssetCheck("range", .range(column: "volume", min: 0, max: 50)),
            AssetCheck("accepted", .acceptedValues(column: "category", values: ["a", "b"])),
            AssetCheck("rows", .rowCount(min: 1, max: 3)),
            AssetCheck("fresh", .freshness(column: "date", days: 1)),
            AssetCheck("relationship", .relationship(column: "ticker", table: "tickers", toColumn: "ticker")),
            // As a check file writes it: the asset's own layer, which is its database's main schema.
            AssetCheck("relationship_named", .relationship(column: "ticker", table: "silver.tickers", toColumn: "ticker")),
            AssetCheck("ohlc", .ohlc(key: ["ticker", "date"], volume: "volume")),
            AssetCheck("sql", .sql("SELECT * FROM {{table}} WHERE close > 100"), severity: .warn),
        ]
        let results = try CheckRunner(layout: root.layout, today: TestClock.today).run(checks, for: AssetKey(.silver, "bars"))
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: results.map { ($0.check, $0.failingRows) }),
                       ["not_null": 2, "unique": 1, "range": 3, "accepted": 1, "rows": 1, "fresh": 1, "relationship": 2, "relationship_named": 2, "ohlc": 2, "sql": 0])
        let ohlc = try XCTUnwrap(results.first { $0.check == "ohlc" })
        XCTAssertEqual(ohlc.sample.first, "ticker=AAPL, date=2026-11-21, open=10.0, high=9.0, low=11.0, close=10.0")
        XCTAssertTrue(ohlc.summary.hasPrefix("FAIL silver.bars ohlc: 2 failing rows (ticker=AAPL, date=2026-11-21"), ohlc.summary)
        let broken = try CheckRunner(layout: root.layout, today: TestClock.today).run([AssetCheck("typo", .notNull(["nope"]))], for: AssetKey(.silver, "bars"))
        XCTAssertFalse(broken[0].passed)
        XCTAssertTrue(broken[0].sample[0].contains("no such column: nope"), broken[0].sample[0])
    }

    func testAFailedErrorCheckBlocksDownstreamAndKeepsTheAssetStale() throws {
        let root = TemporaryRoot("checks-run")
        var threshold = 0.0
        func spec(_ name: String, upstreams: [AssetKey] = [], checks: [AssetCheck] = []) -> AssetSpec {
            AssetSpec(key: AssetKey(.silver, name), upstreams: upstreams, summary: name, version: "1", checks: checks) { context in
                try ToyBuild.run(context, "DROP TABLE IF EXISTS \(name); CREATE TABLE \(name)(v REAL); INSERT INTO \(name) VALUES (5)")
            }
        }
        func run() throws -> RunSummary {
            let graph = try AssetGraph([
                spec("a", checks: [AssetCheck("v_small", .range(column: "v", min: nil, max: threshold)),
                                   AssetCheck("v_tiny", .range(column: "v", min: nil, max: -1), severity: .warn)]),
                spec("b", upstreams: [AssetKey(.silver, "a")]),
            ])
            return try Orchestrator(graph: graph, layout: root.layout, clock: TestClock.clock, logger: Logger(label: "t"))
                .materialize(graph.order, command: "t", observer: SilentObserver())
        }
        let first = try run()
        XCTAssertFalse(first.succeeded)
        XCTAssertEqual(first.results.map(\.status), [.failed, .blocked])
        XCTAssertTrue(first.results[0].error?.contains("v_small") ?? false)
        XCTAssertEqual(first.checks.filter { !$0.passed }.map(\.status), [.error, .warn])
        // Still failing next time: the asset is rebuilt and checked again, never trusted.
        XCTAssertEqual(try run().results.map(\.status), [.failed, .blocked])
        threshold = 10
        let fixed = try run()
        XCTAssertTrue(fixed.succeeded, "a warn-level failure does not fail the run")
        XCTAssertEqual(fixed.results.map(\.status), [.success, .success])
        let stored = try Database(path: root.layout.runLogDatabase.path).scalar("SELECT count(*) FROM check_results WHERE passed = 0 AND severity = 'error'")
        XCTAssertEqual(stored?.int, 2)
    }

    /// silver.a holds 5 and is checked `v <= threshold`; gold.b, built on it, writes `value`.
    /// Counts b's builds.
    final class UpstreamAndDownstream {
        let root: TemporaryRoot
        var threshold = 10.0
        var value = 1
        var downstreamBuilds = 0

        init(_ name: String) { root = TemporaryRoot(name) }

        func run(refresh: Bool = false) throws -> RunSummary {
            let graph = try AssetGraph([
                AssetSpec(key: AssetKey(.silver, "a"), upstreams: [], summary: "a", version: "1",
                          checks: [AssetCheck("v_small", .range(column: "v", min: nil, max: threshold))]) { context in
                    try ToyBuild.run(context, "DROP TABLE IF EXISTS a; CREATE TABLE a(v REAL); INSERT INTO a VALUES (5)")
                },
                AssetSpec(key: AssetKey(.gold, "b"), upstreams: [AssetKey(.silver, "a")], summary: "b", version: "1") { [self] context in
                    downstreamBuilds += 1
                    return try ToyBuild.run(context, "DROP TABLE IF EXISTS b; CREATE TABLE b(v INTEGER); INSERT INTO b VALUES (\(value))")
                },
            ])
            return try Orchestrator(graph: graph, layout: root.layout, clock: TestClock.clock, logger: Logger(label: "t"))
                .materialize(graph.order, refresh: refresh, command: "t", observer: SilentObserver())
        }

        /// gold.b's latest materialization record.
        func downstreamRecord() throws -> MaterializationRecord? {
            try MaterializationLog.latest(AssetKey(.gold, "b"), in: Database(path: root.layout.goldDatabase.path))
        }
    }

    /// The next asset builds while its upstream's checks run; when they fail, what it wrote is
    /// rolled back and its previous table is what readers still see.
    func testABuildBesideFailingUpstreamChecksIsRolledBack() throws {
        let pair = UpstreamAndDownstream("checks-beside")
        XCTAssertEqual(try pair.run(refresh: true).results.map(\.status), [.success, .success])
        let gold = { try Database(path: pair.root.layout.goldDatabase.path, readOnly: true).scalar("SELECT v FROM b")?.int }
        XCTAssertEqual(try gold(), 1)

        pair.threshold = 0
        pair.value = 2
        let failed = try pair.run(refresh: true)
        XCTAssertEqual(failed.results.map(\.status), [.failed, .blocked])
        XCTAssertEqual(failed.results[1].reason, "upstream silver.a failed")
        XCTAssertEqual(pair.downstreamBuilds, 2, "b built beside a's checks")
        XCTAssertEqual(try gold(), 1, "b's build on data that failed its checks was rolled back")
        XCTAssertEqual(try pair.downstreamRecord()?.status, .complete, "b's last materialization is still the one that passed")
    }

    /// A run killed after the downstream committed but before the upstream's checks were
    /// recorded leaves both pending; when the upstream's checks then fail, the downstream, which
    /// only has its checks left to run, is blocked and not completed.
    func testAnUnfinishedDownstreamOfAnUpstreamFailingItsChecksIsBlocked() throws {
        let pair = UpstreamAndDownstream("checks-unfinished")
        XCTAssertEqual(try pair.run().results.map(\.status), [.success, .success])
        for database in [pair.root.layout.silverDatabase, pair.root.layout.goldDatabase] {
            try Database(path: database.path).execute("UPDATE _materializations SET status = 'pending'")
        }
        pair.threshold = 0
        let summary = try pair.run()
        XCTAssertEqual(summary.results.map(\.status), [.failed, .blocked])
        XCTAssertEqual(summary.results[1].reason, "upstream silver.a failed")
        XCTAssertEqual(pair.downstreamBuilds, 1, "b was not rebuilt, only kept")
        XCTAssertEqual(try pair.downstreamRecord()?.status, .pending, "b is not completed on top of a failed upstream")
    }

    func testThresholdsParseAsDbtWritesThem() throws {
        XCTAssertEqual(CheckThreshold(parsing: ">0"), .anyFailure)
        XCTAssertEqual(CheckThreshold(parsing: " >= 10 "), CheckThreshold(.atLeast, 10))
        XCTAssertEqual(CheckThreshold(parsing: ">5%"), CheckThreshold(.greater, 5, percent: true))
        XCTAssertEqual(CheckThreshold(parsing: "!=0"), CheckThreshold(.notEqual, 0))
        for bad in ["", "5", ">", ">x", ">-1", ">101%", "~3", ">1e999"] { XCTAssertNil(CheckThreshold(parsing: bad), bad) }
        XCTAssertEqual(CheckThreshold(.greater, 5, percent: true).description, ">5%")
        XCTAssertTrue(CheckThreshold(.greater, 5, percent: true).isMet(failing: 6, total: 100))
        XCTAssertFalse(CheckThreshold(.greater, 5, percent: true).isMet(failing: 5, total: 100))
        XCTAssertTrue(CheckThreshold(.greater, 5, percent: true).isMet(failing: 1, total: 0), "failing rows of an empty table are all of it")
        XCTAssertFalse(CheckThreshold(.atLeast, 10).isMet(failing: 9, total: 9))
    }

    func testSeverityFollowsHowManyRowsFailed() throws {
        let root = try makeRoot()
        // volume < 0 breaks one row of four (25%).
        func status(warnIf: String?, errorIf: String?) throws -> CheckResult.Status {
            let check = AssetCheck("volume", .range(column: "volume", min: 0, max: nil),
                                   warnIf: warnIf.flatMap(CheckThreshold.init(parsing:)), errorIf: errorIf.flatMap(CheckThreshold.init(parsing:)))
            return try CheckRunner(layout: root.layout, today: TestClock.today).run([check], for: AssetKey(.silver, "bars"))[0].status
        }
        XCTAssertEqual(try status(warnIf: ">0", errorIf: ">30%"), .warn)
        XCTAssertEqual(try status(warnIf: ">0", errorIf: ">20%"), .error)
        XCTAssertEqual(try status(warnIf: ">1", errorIf: ">5"), .pass, "one failing row is below both thresholds")
        XCTAssertEqual(try status(warnIf: nil, errorIf: ">=1"), .error)
        XCTAssertEqual(try status(warnIf: nil, errorIf: nil), .pass)
    }
}
