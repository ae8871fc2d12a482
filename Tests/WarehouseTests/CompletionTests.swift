import Foundation
import Logging
import Warehouse
import WarehouseTestSupport
import XCTest

/// A materialization is complete only once its checks ran and its exports are written: a crash
/// in between is finished by the next run, and a table that failed an error check is marked in
/// `asset_status` and built on by nothing, in this run or a later one.
final class CompletionTests: XCTestCase {
    var root: TemporaryRoot!
    var builds: [String] = []
    /// The value silver.up writes; its error check wants it positive.
    var value = 1

    override func setUp() {
        root = TemporaryRoot("completion")
        builds = []
        value = 1
    }

    /// XCTest keeps every test case object until the process ends: release the root now so its folder is removed.
    override func tearDown() {
        root = nil
        super.tearDown()
    }

    let up = AssetKey(.silver, "up")
    let down = AssetKey(.gold, "down")

    func graph() throws -> AssetGraph {
        func table(_ key: AssetKey, _ upstreams: [AssetKey], checks: [AssetCheck], exports: [String]) -> AssetSpec {
            AssetSpec(key: key, upstreams: upstreams, summary: key.name, version: "1",
                      inputs: { [unowned self] _ in key == up ? ["value": "\(value)"] : [:] },
                      checks: checks, exports: exports,
                      build: { [unowned self] context in
                          builds.append(key.name)
                          return try ToyBuild.run(context, """
                              DROP TABLE IF EXISTS \(key.name); CREATE TABLE \(key.name)(v INTEGER PRIMARY KEY);
                              INSERT INTO \(key.name) VALUES (\(value))
                              """)
                      })
        }
        return try AssetGraph([
            table(up, [], checks: [AssetCheck("positive", .range(column: "v", min: 1, max: nil))], exports: []),
            table(down, [up], checks: [], exports: ["down.parquet"]),
        ])
    }

    func orchestrator() throws -> Orchestrator {
        Orchestrator(graph: try graph(), layout: root.layout, clock: TestClock.clock, logger: Logger(label: "test"))
    }

    func materialize(_ keys: [AssetKey]) throws -> [String: AssetRunResult] {
        let summary = try orchestrator().materialize(keys, command: "test", observer: SilentObserver())
        return Dictionary(uniqueKeysWithValues: summary.results.map { ($0.key.name, $0) })
    }

    func status(_ key: AssetKey) throws -> [SQLValue]? {
        guard FileManager.default.fileExists(atPath: root.layout.database(for: key.layer).path) else { return nil }
        return try Database(path: root.layout.database(for: key.layer).path, readOnly: true)
            .rows("SELECT status, problem FROM asset_status WHERE asset = ?", [.text(key.description)]).first
    }

    var export: URL { root.layout.exportsDirectory.appendingPathComponent("down.parquet") }

    func testACrashBetweenCommitAndChecksIsFinishedByTheNextRunWithoutRebuilding() throws {
        XCTAssertEqual(try materialize([up, down]).values.map(\.status), [.success, .success])
        // What a crash right after gold.down's commit leaves: its data with a pending record (the
        // build writes it so, in the data's transaction), no export, no checks run.
        let runID = try XCTUnwrap(try orchestrator().lastMaterialization(of: down)?.runID)
        try Database(path: root.layout.goldDatabase.path).execute("UPDATE _materializations SET status = 'pending'")
        try FileManager.default.removeItem(at: export)
        XCTAssertEqual(try status(down), [.text("unchecked"), .null])
        let plan = try orchestrator().plan([up, down])
        XCTAssertEqual(plan.map(\.reason), [.upToDate, .unfinished(runID: runID)])

        builds = []
        let rerun = try materialize([up, down])
        XCTAssertEqual(rerun["down"]?.status, .success)
        XCTAssertEqual(rerun["down"]?.reason, "checks and exports of run \(runID) never finished")
        XCTAssertEqual(builds, [], "finishing reruns the checks and exports, not the build")
        XCTAssertTrue(ParquetWriter.wrote(export), "the export the crash lost is written")
        XCTAssertEqual(try status(down), [.text("ok"), .null])
        XCTAssertEqual(try orchestrator().plan([up, down]).map(\.reason), [.upToDate, .upToDate])
    }

    func testATableThatFailedAnErrorCheckIsMarkedAndNothingBuildsOnIt() throws {
        value = -5
        let first = try materialize([up, down])
        XCTAssertEqual(first["up"]?.status, .failed)
        XCTAssertEqual(first["down"]?.status, .blocked)
        let marked = try XCTUnwrap(try status(up))
        XCTAssertEqual(marked[0], .text("failed_checks"), "BI readers see that the table failed")
        XCTAssertTrue(marked[1].string?.contains("positive") ?? false, "\(marked)")
        XCTAssertNil(try status(down), "nothing was built from it")

        // Selecting the downstream alone does not build on the failed table either.
        let alone = try materialize([down])
        XCTAssertEqual(alone["down"]?.status, .blocked)
        XCTAssertTrue(alone["down"]?.reason.contains("upstream silver.up failed an error check") ?? false, alone["down"]?.reason ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: export.path))

        // Unchanged inputs: it is built again (and fails again) rather than passed as up to date.
        let failedRun = try XCTUnwrap(try orchestrator().lastMaterialization(of: up)?.runID)
        XCTAssertEqual(try orchestrator().plan([up]).first?.reason, .failedChecks(runID: failedRun))
        value = 3
        let fixed = try materialize([up, down])
        XCTAssertEqual(fixed["up"]?.status, .success)
        XCTAssertEqual(fixed["down"]?.status, .success)
        XCTAssertEqual(try status(up), [.text("ok"), .null])
        XCTAssertTrue(ParquetWriter.wrote(export))
    }

    func testAFailedExportLeavesTheAssetPendingUntilAnExportSucceeds() throws {
        try FileManager.default.createDirectory(at: root.layout.exportsDirectory, withIntermediateDirectories: true)
        try Data("the user's file".utf8).write(to: export)
        let first = try materialize([up, down])
        XCTAssertEqual(first["down"]?.status, .failed)
        XCTAssertTrue(first["down"]?.error?.contains("export failed") ?? false)
        XCTAssertEqual(try status(down)?.first, .text("unchecked"))
        try FileManager.default.removeItem(at: export)
        builds = []
        XCTAssertEqual(try materialize([up, down])["down"]?.status, .success)
        XCTAssertEqual(builds, [])
        XCTAssertEqual(try status(down)?.first, .text("ok"))
    }
}
