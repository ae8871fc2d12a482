import Warehouse
import XCTest

final class SelectionTests: XCTestCase {
    /// a -> b -> d, a -> c; e alone; tags on some.
    func graph() throws -> AssetGraph {
        func spec(_ name: String, _ upstreams: [String] = [], tags: Set<String> = []) -> AssetSpec {
            AssetSpec(key: AssetKey(parsing: name)!, upstreams: upstreams.map { AssetKey(parsing: $0)! }, tags: tags,
                      summary: name, version: "1", build: { _ in BuildOutcome(rows: 0) })
        }
        return try AssetGraph([
            spec("bronze.a", tags: ["crypto"]), spec("silver.b", ["bronze.a"]), spec("silver.c", ["bronze.a"], tags: ["stocks"]),
            spec("gold.d", ["silver.b"], tags: ["crypto"]), spec("bronze.e"),
        ])
    }

    func keys(_ text: [String]) throws -> [String] {
        try Selection(parsing: text).resolve(in: graph()).map(\.description)
    }

    func testParsesEveryTermKind() throws {
        let selection = try Selection(parsing: ["+silver.b+", "layer:gold", "tag:crypto", "silver.*"])
        XCTAssertEqual(selection.terms.map(\.withUpstream), [true, false, false, false])
        XCTAssertEqual(selection.terms.map(\.withDownstream), [true, false, false, false])
        XCTAssertEqual(selection.terms.map(\.pattern), [.name("silver.b"), .layer(.gold), .tag("crypto"), .name("silver.*")])
    }

    func testResolvesInDependencyOrder() throws {
        XCTAssertEqual(try keys(["silver.b"]), ["silver.b"])
        XCTAssertEqual(try keys(["silver.b+"]), ["silver.b", "gold.d"])
        XCTAssertEqual(try keys(["+gold.d"]), ["bronze.a", "silver.b", "gold.d"])
        XCTAssertEqual(try keys(["bronze.a+"]), ["bronze.a", "silver.b", "silver.c", "gold.d"])
        XCTAssertEqual(try keys(["layer:bronze"]), ["bronze.a", "bronze.e"])
        XCTAssertEqual(try keys(["tag:crypto"]), ["bronze.a", "gold.d"])
        XCTAssertEqual(try keys(["silver.*"]), ["silver.b", "silver.c"])
        XCTAssertEqual(try keys(["*.?"]), ["bronze.a", "bronze.e", "silver.b", "silver.c", "gold.d"])
        XCTAssertEqual(try keys(["gold.d", "silver.c"]), ["silver.c", "gold.d"])
    }

    func testUnknownNamesSuggestTheClosestAsset() throws {
        XCTAssertThrowsError(try keys(["silver.bb"])) { error in
            XCTAssertEqual(error as? SelectionError, .noMatch(term: "silver.bb", suggestion: AssetKey(.silver, "b")))
            XCTAssertEqual("\(error)", "selection 'silver.bb' matches no asset. Did you mean silver.b? To fix this, run `warehouse assets` to list the asset names.")
        }
        XCTAssertThrowsError(try Selection(parsing: ["layer:platinum"])) { error in
            XCTAssertEqual(error as? SelectionError, .unknownLayer("platinum"))
        }
        XCTAssertThrowsError(try Selection(parsing: ["+"])) { error in
            XCTAssertEqual(error as? SelectionError, .emptyTerm("+"))
        }
    }

    func testGlobMatching() {
        XCTAssertTrue(Glob.matches("silver.*", "silver.coin_prices"))
        XCTAssertFalse(Glob.matches("silver.*", "gold.coin_prices"))
        XCTAssertTrue(Glob.matches("*prices*", "silver.coin_prices"))
        XCTAssertTrue(Glob.matches("gold.coin_?aily*", "gold.coin_daily_features"))
        XCTAssertFalse(Glob.matches("gold.coin", "gold.coin_daily_features"))
    }
}
