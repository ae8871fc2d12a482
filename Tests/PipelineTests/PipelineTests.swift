import Foundation
import Pipeline
import Warehouse
import WarehouseTestSupport
import XCTest

/// The wiring: declaring, listing and planning start nothing; the emulator starts when a build
/// first fetches from a source left unset, and a configured source never starts it.
final class PipelineTests: XCTestCase {
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["WAREHOUSE_NOW": TestClock.nowText, "WAREHOUSE_UNIVERSE_SIZE": "5", "EMULATOR_COINS": "12"].merging(extra) { $1 }
    }

    func testListingAndPlanningStartNoEmulator() throws {
        let root = TemporaryRoot("pipeline-plan")
        let pipeline = try Pipeline(root: root.path, processEnvironment: environment())
        let graph = try pipeline.graph()
        XCTAssertEqual(graph.order.count, 40)
        let steps = try pipeline.orchestrator().plan(graph.order)
        XCTAssertEqual(steps.filter(\.willRun).count, 40)
        XCTAssertNil(pipeline.emulator, "planning must not start the emulator")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [], "nor write anything")
    }

    func testAFetchStartsTheEmulatorOnceAndAConfiguredSourceNever() throws {
        let root = TemporaryRoot("pipeline-run")
        let pipeline = try Pipeline(root: root.path, processEnvironment: environment())
        let summary = try pipeline.orchestrator().materialize([AssetKey(.bronze, "coingecko_coins_list")], command: "test", observer: SilentObserver())
        XCTAssertTrue(summary.succeeded, "\(summary.results.compactMap(\.error))")
        let emulator = try XCTUnwrap(pipeline.emulator)
        XCTAssertEqual(emulator.requestCount, 2)

        // Every source configured: nothing of ours listens, the configured server is asked.
        let served = try EmulatedWarehouse("pipeline-configured")
        var configured = environment()
        for variable in WarehouseSettings.baseURLVariables { configured[variable] = served.emulator.baseURL }
        configured["LUNARCRUSH_API_KEY"] = "key"
        let other = try Pipeline(root: served.root.path, processEnvironment: configured)
        XCTAssertTrue(try other.orchestrator().materialize([AssetKey(.bronze, "coingecko_coins_list")], command: "t", observer: SilentObserver()).succeeded)
        XCTAssertNil(other.emulator)
        XCTAssertEqual(served.emulator.requestCount, 2)
    }
}
