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
            XCTAssertEqual("\(error)", "selection 'silver.bb' matches no asset. Did you mean silver.b? To fix this, run `warehouse ls` to list the asset names.")
        }
        XCTAssertThrowsError(try Selection(parsing: ["layer:platinum"])) { error in
            XCTAssertEqual(error as? SelectionError, .unknownLayer("platinum"))
        }
        XCTAssertThrowsError(try Selection(parsing: ["+"])) { error in
            XCTAssertEqual(error as? SelectionError, .emptyTerm("+"))
        }
    }

    /// A graph shaped like dbt's documentation examples: staging models, an intermediate one,
    /// marts in folders, tags, and a report downstream.
    func dbtGraph() throws -> AssetGraph {
        func spec(_ name: String, _ upstreams: [String] = [], tags: Set<String> = [], source: String? = nil) -> AssetSpec {
            AssetSpec(key: AssetKey(parsing: name)!, upstreams: upstreams.map { AssetKey(parsing: $0)! }, tags: tags,
                      summary: name, version: "1", source: source, build: { _ in BuildOutcome(rows: 0) })
        }
        return try AssetGraph([
            spec("bronze.raw_orders"), spec("bronze.raw_customers"), spec("bronze.raw_payments"),
            spec("silver.stg_orders", ["bronze.raw_orders"]), spec("silver.stg_customers", ["bronze.raw_customers"]),
            spec("silver.stg_payments", ["bronze.raw_payments"]),
            spec("gold.int_order_payments", ["silver.stg_orders", "silver.stg_payments"], source: "models/intermediate/int_order_payments.sql"),
            spec("gold.fct_orders", ["gold.int_order_payments", "silver.stg_customers"], tags: ["nightly"], source: "models/marts/finance/fct_orders.sql"),
            spec("gold.dim_customers", ["silver.stg_customers"], tags: ["nightly", "daily"], source: "models/marts/core/dim_customers.sql"),
            spec("gold.order_report", ["gold.fct_orders"], tags: ["daily"], source: "models/reports/order_report.sql"),
        ])
    }

    /// Each case from dbt's node selection docs (graph operators, set operators, methods,
    /// exclude, state and result), on the graph above: (select, exclude, expected in order).
    func testTheCasesOfDbtsSelectionDocs() throws {
        let graph = try dbtGraph()
        let facts = SelectionFacts(modified: [AssetKey(.gold, "int_order_payments")], new: [AssetKey(.gold, "order_report")],
                                   results: [AssetKey(.gold, "fct_orders"): ["error"], AssetKey(.gold, "dim_customers"): ["success", "warn"],
                                             AssetKey(.silver, "stg_orders"): ["success"]])
        let cases: [([String], [String], [String])] = [
            // `dbt run --select my_model`, by name with and without its layer
            (["gold.fct_orders"], [], ["gold.fct_orders"]),
            (["fct_orders"], [], ["gold.fct_orders"]),
            // `my_model+`: it and its descendants
            (["int_order_payments+"], [], ["gold.int_order_payments", "gold.fct_orders", "gold.order_report"]),
            // `+my_model`: it and its ancestors
            (["+fct_orders"], [], ["bronze.raw_customers", "bronze.raw_orders", "bronze.raw_payments", "silver.stg_customers", "silver.stg_orders",
                                   "silver.stg_payments", "gold.int_order_payments", "gold.fct_orders"]),
            // `+my_model+`
            (["+int_order_payments+"], [], ["bronze.raw_orders", "bronze.raw_payments", "silver.stg_orders", "silver.stg_payments",
                                            "gold.int_order_payments", "gold.fct_orders", "gold.order_report"]),
            // `1+my_model`: first-degree parents only; `2+` two hops
            (["1+fct_orders"], [], ["silver.stg_customers", "gold.int_order_payments", "gold.fct_orders"]),
            (["2+fct_orders"], [], ["bronze.raw_customers", "silver.stg_customers", "silver.stg_orders", "silver.stg_payments",
                                    "gold.int_order_payments", "gold.fct_orders"]),
            // `my_model+1`: first-degree children only
            (["stg_customers+1"], [], ["silver.stg_customers", "gold.dim_customers", "gold.fct_orders"]),
            // `@my_model`: descendants and every ancestor of them
            (["@stg_orders"], [], ["bronze.raw_customers", "bronze.raw_orders", "bronze.raw_payments", "silver.stg_customers", "silver.stg_orders",
                                   "silver.stg_payments", "gold.int_order_payments", "gold.fct_orders", "gold.order_report"]),
            // union: `+snowplow_sessions +fct_orders`, in one argument or two
            (["dim_customers order_report"], [], ["gold.dim_customers", "gold.order_report"]),
            (["dim_customers", "order_report"], [], ["gold.dim_customers", "gold.order_report"]),
            // intersection: `stg_invoices+,stg_accounts+` and `tag:nightly,tag:daily`
            (["stg_customers+,int_order_payments+"], [], ["gold.fct_orders", "gold.order_report"]),
            (["tag:nightly,tag:daily"], [], ["gold.dim_customers"]),
            (["tag:nightly,layer:gold"], [], ["gold.dim_customers", "gold.fct_orders"]),
            // `path:models/marts` (a folder), a file, a glob
            (["path:models/marts"], [], ["gold.dim_customers", "gold.fct_orders"]),
            (["path:models/marts/finance/fct_orders.sql"], [], ["gold.fct_orders"]),
            (["path:models/*/order_*.sql"], [], ["gold.order_report"]),
            // `--exclude`: `dbt run --select my_package.*+ --exclude my_package.a_big_model+`
            (["silver.*+"], ["int_order_payments+"], ["silver.stg_customers", "silver.stg_orders", "silver.stg_payments", "gold.dim_customers"]),
            (["layer:gold"], ["tag:nightly"], ["gold.int_order_payments", "gold.order_report"]),
            // `state:modified+`, `state:new`
            (["state:modified+"], [], ["gold.int_order_payments", "gold.fct_orders", "gold.order_report"]),
            (["state:new"], [], ["gold.order_report"]),
            // `result:error+` (rerun what failed and what it feeds), `result:warn`
            (["result:error+"], [], ["gold.fct_orders", "gold.order_report"]),
            (["result:warn"], [], ["gold.dim_customers"]),
            (["result:success,layer:silver"], [], ["silver.stg_orders"]),
        ]
        for (select, exclude, expected) in cases {
            let keys = try Selection(parsing: select, exclude: exclude).resolve(in: graph) { facts }
            XCTAssertEqual(keys.map(\.description), expected, "select \(select) exclude \(exclude)")
        }
    }

    func testFactsAreReadOnlyWhenATermNeedsThem() throws {
        var asked = 0
        _ = try Selection(parsing: ["tag:daily"]).resolve(in: dbtGraph()) { asked += 1; return SelectionFacts() }
        XCTAssertEqual(asked, 0)
        _ = try Selection(parsing: ["state:modified", "result:error"]).resolve(in: dbtGraph()) { asked += 1; return SelectionFacts() }
        XCTAssertEqual(asked, 1, "asked once, however many terms use them")
    }

    func testGrammarMistakesAreNamed() throws {
        XCTAssertThrowsError(try Selection(parsing: ["colour:red"])) { XCTAssertEqual($0 as? SelectionError, .unknownMethod("colour")) }
        XCTAssertThrowsError(try Selection(parsing: ["state:changed"])) {
            XCTAssertEqual($0 as? SelectionError, .unknownValue(method: "state", value: "changed", known: ["modified", "new"]))
        }
        XCTAssertThrowsError(try Selection(parsing: ["result:exploded"]))
        XCTAssertThrowsError(try Selection(parsing: ["@a+"])) { XCTAssertEqual($0 as? SelectionError, .emptyTerm("@a+")) }
        XCTAssertThrowsError(try Selection(parsing: ["a,,b"])) { XCTAssertEqual($0 as? SelectionError, .emptyTerm("a,,b")) }
        XCTAssertThrowsError(try Selection(parsing: ["a++"]))
        XCTAssertThrowsError(try Selection(parsing: ["fct_order"]).resolve(in: dbtGraph())) { error in
            XCTAssertEqual(error as? SelectionError, .noMatch(term: "fct_order", suggestion: AssetKey(.gold, "fct_orders")))
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
