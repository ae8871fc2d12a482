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
