import Foundation
import Logging
import Warehouse
import WarehouseTestSupport
import XCTest

/// Staleness, ordering and failure isolation on a toy graph whose silver assets write real
/// SQLite tables and whose inputs are files the test changes.
final class OrchestratorTests: XCTestCase {
    var root: TemporaryRoot!
    var builds: [String] = []
    var failing: Set<String> = []
    var versions: [String: String] = [:]

    override func setUp() {
        root = TemporaryRoot("orchestrator")
        builds = []
        failing = []
        versions = [:]
    }

    /// XCTest keeps every test case object until the process ends: release the root now so its folder is removed.
    override func tearDown() {
        root = nil
        super.tearDown()
    }

    func inputFile(_ name: String) -> URL { root.url.appendingPathComponent("\(name).input") }

    /// silver.a reads a.input; silver.b reads b.input; gold.c reads both tables.
    func graph() throws -> AssetGraph {
        func silver(_ name: String, _ upstreams: [String] = []) -> AssetSpec {
            AssetSpec(key: AssetKey(.silver, name), upstreams: upstreams.map { AssetKey(parsing: $0)! }, summary: name,
                      version: versions[name] ?? "1",
                      inputs: { [unowned self] _ in ["file": (try? String(contentsOf: inputFile(name), encoding: .utf8)) ?? "none"] },
                      build: { [unowned self] context in
                          builds.append(name)
                          if failing.contains(name) { throw ConfigurationError(setting: name, problem: "broken", fix: "mend it") }
                          return try ToyBuild.run(context, "CREATE TABLE IF NOT EXISTS \(name)(v TEXT); DELETE FROM \(name); INSERT INTO \(name) VALUES ('x')")
                      })
        }
        return try AssetGraph([silver("a"), silver("b"), silver("c", ["silver.a", "silver.b"])])
    }

    func materialize(_ names: [String] = ["silver.a", "silver.b", "silver.c"], refresh: Bool = false) throws -> RunSummary {
        let orchestrator = Orchestrator(graph: try graph(), layout: root.layout, clock: TestClock.clock, logger: Logger(label: "test"))
        return try orchestrator.materialize(names.map { AssetKey(parsing: $0)! }, refresh: refresh, command: "test", observer: SilentObserver())
    }

    func plan() throws -> [String: StaleReason] {
        let orchestrator = Orchestrator(graph: try graph(), layout: root.layout, clock: TestClock.clock, logger: Logger(label: "test"))
        let steps = try orchestrator.plan([AssetKey(.silver, "a"), AssetKey(.silver, "b"), AssetKey(.silver, "c")])
        return Dictionary(uniqueKeysWithValues: steps.map { ($0.key.name, $0.reason) })
    }

    func testSecondRunSkipsEverythingAndAChangedInputRebuildsItsDownstreamOnly() throws {
        try "1".write(to: inputFile("a"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try materialize().count(.success), 3)
        XCTAssertEqual(builds, ["a", "b", "c"])

        builds = []
        let second = try materialize()
        XCTAssertEqual(second.count(.skipped), 3)
        XCTAssertEqual(builds, [])

        try "2".write(to: inputFile("a"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try plan()["a"], .inputsChanged(["file"]))
        XCTAssertEqual(try plan()["c"], .upstreamPending([AssetKey(.silver, "a")]))
        XCTAssertEqual(try plan()["b"], .upToDate)
        builds = []
        _ = try materialize()
        XCTAssertEqual(builds, ["a", "c"])
    }

    func testVersionChangeAndRefreshForceRebuilds() throws {
        _ = try materialize()
        versions["b"] = "2"
        XCTAssertEqual(try plan()["b"], .versionChanged(from: "1", to: "2"))
        builds = []
        _ = try materialize()
        XCTAssertEqual(builds, ["b", "c"])
        builds = []
        _ = try materialize(refresh: true)
        XCTAssertEqual(builds, ["a", "b", "c"])
    }

    func testFailureBlocksDownstreamButNotSiblings() throws {
        failing = ["a"]
        let summary = try materialize()
        XCTAssertFalse(summary.succeeded)
        let status = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.key.name, $0.status) })
        XCTAssertEqual(status, ["a": .failed, "b": .success, "c": .blocked])
        XCTAssertTrue(summary.results[0].error?.contains("broken") ?? false)
        // The failed asset has no record, so it is still stale; the sibling is not.
        failing = []
        let plan = try self.plan()
        XCTAssertEqual(plan["a"], .neverBuilt)
        XCTAssertEqual(plan["b"], .upToDate)
    }

    func testExportsAreWrittenOnlyFromDataThatPassedItsErrorChecks() throws {
        func spec(minimumRows: Int) -> AssetSpec {
            AssetSpec(key: AssetKey(.gold, "mart"), summary: "mart", version: "\(minimumRows)",
                      checks: [AssetCheck("enough_rows", .rowCount(min: minimumRows, max: nil))], exports: ["mart.parquet"],
                      build: { context in
                          try ToyBuild.run(context, "CREATE TABLE IF NOT EXISTS mart(v INTEGER PRIMARY KEY); INSERT OR REPLACE INTO mart VALUES (\(minimumRows))")
                      })
        }
        func run(_ spec: AssetSpec) throws -> RunSummary {
            let orchestrator = Orchestrator(graph: try AssetGraph([spec]), layout: root.layout, clock: TestClock.clock, logger: Logger(label: "test"))
            return try orchestrator.materialize([spec.key], command: "test", observer: SilentObserver())
        }
        let file = root.layout.exportsDirectory.appendingPathComponent("mart.parquet")
        XCTAssertFalse(try run(spec(minimumRows: 5)).succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path), "a mart that failed its error check is not exported")
        XCTAssertTrue(try run(spec(minimumRows: 1)).succeeded)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path))
    }

    func testPlanWritesNothing() throws {
        _ = try plan()
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.layout.silverDatabase.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.layout.runLogDatabase.path))
    }

    func testRunLogRecordsEveryAssetOfEveryRun() throws {
        _ = try materialize()
        _ = try materialize()
        let runs = try RunLog(layout: root.layout).recentRuns()
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map { $0["status"]?.string }, ["success", "success"])
        XCTAssertEqual(runs.compactMap { $0["assets_run"]?.int }.sorted(), [0, 3])
        let database = try Database(path: root.layout.runLogDatabase.path)
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM run_assets")?.int, 6)
    }

    /// Builds commit without checkpointing (the run checkpoints beside the next build); when the
    /// run ends, every WAL is back in its database file and empty, a large rebuild included.
    func testARunLeavesEveryWALCheckpointedAndEmpty() throws {
        var autocheckpoints: [Int] = []
        let graph = try AssetGraph([
            AssetSpec(key: AssetKey(.silver, "big"), upstreams: [], summary: "big", version: "1") { context in
                autocheckpoints.append(try context.openLayerDatabase().scalar("PRAGMA wal_autocheckpoint")?.int ?? -1)
                // About 40 MB: more than SQLite's automatic checkpoint threshold of 1,000 pages.
                return try ToyBuild.run(context, """
                    DROP TABLE IF EXISTS big; CREATE TABLE big(n INTEGER PRIMARY KEY, pad BLOB);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
                    INSERT INTO big SELECT i, randomblob(128) FROM n
                    """, rows: 300_000)
            },
            AssetSpec(key: AssetKey(.gold, "small"), upstreams: [AssetKey(.silver, "big")], summary: "small", version: "1") { context in
                try ToyBuild.run(context, "DROP TABLE IF EXISTS small; CREATE TABLE small(v INTEGER); INSERT INTO small VALUES (1)")
            },
        ])
        let summary = try Orchestrator(graph: graph, layout: root.layout, clock: TestClock.clock, logger: Logger(label: "test"))
            .materialize(graph.order, command: "test", observer: SilentObserver())
        XCTAssertTrue(summary.succeeded)
        XCTAssertEqual(autocheckpoints, [0], "a build's connection leaves checkpoints to the run")
        for database in [root.layout.silverDatabase, root.layout.goldDatabase, root.layout.runLogDatabase] {
            let wal = (try? FileManager.default.attributesOfItem(atPath: database.path + "-wal")[.size] as? Int) ?? 0
            XCTAssertEqual(wal, 0, "\(database.lastPathComponent)'s WAL is checkpointed and emptied")
        }
        XCTAssertEqual(try Database(path: root.layout.silverDatabase.path, readOnly: true).scalar("SELECT count(*) FROM big")?.int, 300_000)
    }
}
