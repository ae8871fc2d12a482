import Warehouse
import XCTest

final class AssetGraphTests: XCTestCase {
    func spec(_ name: String, _ upstreams: [String] = []) -> AssetSpec {
        AssetSpec(key: AssetKey(parsing: name)!, upstreams: upstreams.map { AssetKey(parsing: $0)! }, summary: name, version: "1",
                  build: { _ in BuildOutcome(rows: 0) })
    }

    func testTopologicalOrderIsStableWithAlphabeticalTies() throws {
        let graph = try AssetGraph([spec("gold.z", ["silver.b", "silver.a"]), spec("silver.b", ["bronze.x"]),
                                    spec("silver.a", ["bronze.y"]), spec("bronze.y"), spec("bronze.x")])
        XCTAssertEqual(graph.order.map(\.description), ["bronze.x", "bronze.y", "silver.a", "silver.b", "gold.z"])
    }

    func testFollowersJoinASelectionOfTheirUpstreamsOnly() throws {
        let monitor = { (name: String, upstream: String) in
            AssetSpec(key: AssetKey(parsing: name)!, upstreams: [AssetKey(parsing: upstream)!], summary: name, version: "1",
                      runsWithUpstreams: true, build: { _ in BuildOutcome(rows: 0) })
        }
        let graph = try AssetGraph([spec("silver.a"), spec("gold.features", ["silver.a"]), monitor("gold.drift", "gold.features"),
                                    monitor("gold.drift_report", "gold.drift"), spec("gold.other", ["gold.features"]), spec("silver.b")])
        XCTAssertEqual(graph.addingFollowers([AssetKey(.gold, "features")]).map(\.description), ["gold.features", "gold.drift", "gold.drift_report"])
        XCTAssertEqual(graph.addingFollowers([AssetKey(.silver, "a")]).map(\.description), ["silver.a"], "followers of followers of the selection only")
        XCTAssertEqual(graph.addingFollowers([AssetKey(.silver, "b")]).map(\.description), ["silver.b"])
    }

    func testCycleIsReportedWithItsPath() {
        XCTAssertThrowsError(try AssetGraph([spec("silver.a", ["silver.b"]), spec("silver.b", ["silver.a"]), spec("bronze.c")])) { error in
            guard case .cycle(let path) = error as? GraphError else { return XCTFail("expected a cycle, got \(error)") }
            XCTAssertEqual(path.first, path.last)
            XCTAssertEqual(Set(path.map(\.description)), ["silver.a", "silver.b"])
            XCTAssertTrue("\(error)".contains("silver.a -> silver.b -> silver.a") || "\(error)".contains("silver.b -> silver.a -> silver.b"), "\(error)")
        }
    }

    func testMissingUpstreamSuggestsTheClosestName() {
        XCTAssertThrowsError(try AssetGraph([spec("silver.coin_prices"), spec("gold.features", ["silver.coin_price"])])) { error in
            XCTAssertEqual(error as? GraphError, .missingUpstream(asset: AssetKey(.gold, "features"), upstream: AssetKey(.silver, "coin_price"),
                                                                  suggestion: AssetKey(.silver, "coin_prices")))
            XCTAssertTrue("\(error)".contains("Did you mean silver.coin_prices?"))
        }
    }

    func testDuplicateDeclarationIsRejected() {
        XCTAssertThrowsError(try AssetGraph([spec("silver.a"), spec("silver.a")])) { error in
            XCTAssertEqual(error as? GraphError, .duplicateAsset(AssetKey(.silver, "a")))
        }
    }

    func testRenderingsNameEveryEdge() throws {
        let graph = try AssetGraph([spec("bronze.x"), spec("silver.a", ["bronze.x"])])
        XCTAssertEqual(graph.render(.mermaid), """
            graph LR
              subgraph bronze
                bronze_x["bronze.x"]
              end
              subgraph silver
                silver_a["silver.a"]
              end
              bronze_x --> silver_a

            """)
        XCTAssertTrue(graph.render(.dot).contains("\"bronze.x\" -> \"silver.a\";"))
    }
}
