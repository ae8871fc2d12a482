import Warehouse
import WarehouseTestSupport
import XCTest

/// Checks written as text (model headers, `checks/*.toml`) and applied over an asset's own.
final class CheckDeclarationTests: XCTestCase {
    func testEveryKindParsesToTheCheckItNames() throws {
        let cases: [(String, AssetCheck)] = [
            ("not_null(coin_id, week)", AssetCheck("not_null_coin_id_week", .notNull(["coin_id", "week"]))),
            ("unique(coin_id, week)", AssetCheck("unique_coin_id_week", .unique(["coin_id", "week"]))),
            ("range(volume, min=0) warn", AssetCheck("range_volume", .range(column: "volume", min: 0, max: nil), severity: .warn)),
            ("rsi = range(rsi_14, min=0, max=100)", AssetCheck("rsi", .range(column: "rsi_14", min: 0, max: 100))),
            ("top = row_count(min=1, max=50)", AssetCheck("top", .rowCount(min: 1, max: 50))),
            ("accepted_values(category, 'Large Cap', 'It''s small')", AssetCheck("accepted_values_category", .acceptedValues(column: "category", values: ["Large Cap", "It's small"]))),
            ("relationship(coin_id, silver.coin_markets.coin_id)", AssetCheck("relationship_coin_id", .relationship(column: "coin_id", table: "silver.coin_markets", toColumn: "coin_id"))),
            ("relationship(coin_id, to=silver.coin_markets.id)", AssetCheck("relationship_coin_id", .relationship(column: "coin_id", table: "silver.coin_markets", toColumn: "id"))),
            ("freshness(date, days=2)", AssetCheck("freshness_date", .freshness(column: "date", days: 2))),
            ("ohlc(coin_id, date, volume=volume)", AssetCheck("ohlc", .ohlc(key: ["coin_id", "date"], volume: "volume"))),
            ("gaps(ticker, date, days=4) warn", AssetCheck("gaps_date", .gaps(column: "date", by: ["ticker"], days: 4), severity: .warn)),
            ("gaps(date, days=1)", AssetCheck("gaps_date", .gaps(column: "date", by: [], days: 1))),
            ("range(price, min=0, warn_if='>0', error_if='>5%')",
             AssetCheck("range_price", .range(column: "price", min: 0, max: nil), warnIf: CheckThreshold(.greater, 0), errorIf: CheckThreshold(.greater, 5, percent: true))),
        ]
        for (text, expected) in cases { XCTAssertEqual(try CheckDeclaration.parse(text), expected, text) }
        XCTAssertEqual(try CheckDeclaration.parseList("not_null(a); accepted_values(b, 'x;y'); unique(a, b)").map(\.name),
                       ["not_null_a", "accepted_values_b", "unique_a_b"], "a ; inside quotes is kept")
    }

    func testMistakesSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("not_nul(a)", "'not_nul' is not a kind of check"),
            ("range(a)", "range needs min= or max="),
            ("range(a, min=zero)", "min=zero is not a number"),
            ("range(a, min=0, colour=red)", "colour= is not an argument of this check"),
            ("unique()", "unique needs at least one column"),
            ("not_null(a-b)", "'a-b' is not a column name"),
            ("accepted_values(a, x)", "value x must be quoted"),
            ("relationship(a, coin_markets)", "relationship needs a column and the layer.table.column it refers to"),
            ("range(a, min=0) loudly", "'loudly' after the check: only warn or error may follow it"),
            ("range(a, min=0, error_if='lots')", "error_if 'lots' is not a comparison"),
            ("9x = unique(a)", "'9x' is not a check name (letters, digits and _)"),
            ("row_count(max=1e19)", "max=1e+19 is not a whole number of a sensible size"),
            ("row_count(min=1.5)", "min=1.5 is not a whole number of a sensible size"),
            ("freshness(date, days=1e20)", "days=1e+20 is not a whole number of a sensible size"),
            ("gaps(ticker, date)", "gaps needs days=N, the most days two consecutive dates may be apart"),
            ("gaps(days=3)", "gaps needs the date column, after any columns that group it"),
        ]
        for (text, problem) in cases {
            XCTAssertThrowsError(try CheckDeclaration.parse(text), text) { XCTAssertEqual(($0 as? CheckDeclarationError)?.problem, problem, text) }
        }
    }

    func testTOMLArraysOfTablesKeepTheirLines() throws {
        let document = try TOMLDocument(parsing: "[[checks]]\nasset = \"gold.a\"\n\n[[checks]]\nasset = \"gold.b\"\nname = \"x\"\n")
        let tables = try XCTUnwrap(document.tables["checks"])
        XCTAssertEqual(tables.map(\.line), [1, 4])
        XCTAssertEqual(tables[1].values["name"], .string("x"))
        XCTAssertEqual(tables[1].lines["name"], 6)
        XCTAssertThrowsError(try TOMLDocument(parsing: "[[checks]]\nasset = \"a\"\nasset = \"b\"\n")) { XCTAssertEqual(($0 as? TOMLError)?.line, 3) }
        // warehouse.toml has no arrays of tables (yet): one there is named, not ignored.
        let root = try root(files: ["warehouse.toml": "[[checks]]\nasset = \"a\"\n"])
        XCTAssertThrowsError(try WarehouseSettings.load(root: root.url, environment: [:])) {
            XCTAssertTrue("\($0)".contains("[[checks]]: is not a setting"), "\($0)")
        }
    }

    func root(files: [String: String]) throws -> TemporaryRoot {
        let root = TemporaryRoot("checkfiles")
        for (path, text) in files {
            let url = root.url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    func specs() -> [AssetSpec] {
        [AssetSpec(key: AssetKey(.gold, "mart"), summary: "mart", columns: ["coin_id": "", "price": ""], version: "1",
                   checks: [AssetCheck("top_n_rows", .rowCount(min: 1, max: 50)), AssetCheck("price_positive", .range(column: "price", min: 0, max: nil))],
                   build: { _ in BuildOutcome(rows: 0) })]
    }

    func testFilesAddRedefineLoosenAndSwitchOffChecks() throws {
        let root = try root(files: ["checks/team.toml": """
            # loosen a built-in: warn on any, fail only beyond 100 rows
            [[checks]]
            asset = "gold.mart"
            name = "top_n_rows"
            error_if = ">100"

            [[checks]]
            asset = "gold.mart"
            name = "no_test_coins"
            sql = "SELECT * FROM {{table}} WHERE coin_id LIKE 'test%'"
            severity = "warn"

            [[checks]]
            asset = "gold.mart"
            check = "not_null(coin_id)"
            error_if = ">5%"

            [[checks]]
            asset = "gold.mart"
            name = "price_positive"
            enabled = false
            """])
        let checks = try CheckFiles.apply(try CheckFiles.load(root: root.url), to: specs())[0].checks
        XCTAssertEqual(checks.map(\.name), ["top_n_rows", "no_test_coins", "not_null_coin_id"])
        XCTAssertEqual(checks[0].kind, .rowCount(min: 1, max: 50), "only the thresholds change")
        XCTAssertEqual(checks[0].thresholds, "warn if >0, error if >100")
        XCTAssertEqual(checks[1].severity, .warn)
        XCTAssertEqual(checks[2].errorIf, CheckThreshold(.greater, 5, percent: true))
    }

    func testFileMistakesNameTheFileAndLine() throws {
        let cases: [(String, String)] = [
            ("[[checks]]\nasset = \"gold.mrat\"\nname = \"top_n_rows\"\n", "checks/t.toml line 2: gold.mrat is not an asset. To fix this, did you mean gold.mart?"),
            ("[[checks]]\nasset = \"gold.mart\"\nname = \"nope\"\n", "checks/t.toml line 3: gold.mart has no check named nope"),
            ("[[checks]]\nasset = \"gold.mart\"\ncheck = \"not_null(volume)\"\n", "checks/t.toml line 3: gold.mart has no column volume"),
            ("[[checks]]\nasset = \"gold.mart\"\ncheck = \"not_nul(price)\"\n", "checks/t.toml line 3: 'not_nul' is not a kind of check"),
            ("[[checks]]\nasset = \"gold.mart\"\nname = \"top_n_rows\"\nwarn_iff = \">0\"\n", "checks/t.toml line 4: 'warn_iff' is not a key of a check"),
            ("[[checks]]\nasset = \"gold.mart\"\nname = \"top_n_rows\"\nerror_if = \"many\"\n", "checks/t.toml line 4: error_if 'many' is not a comparison"),
            ("asset = \"gold.mart\"\n", "checks/t.toml line 1: 'asset' is outside a [[checks]] table"),
            ("[[checks]]\nasset = gold.mart\n", "checks/t.toml line 2:"),
            ("[[checks]]\nasset = \"gold.mart\"\ncheck = \"relationship(coin_id, silver.nowhere.id)\"\n", "checks/t.toml line 3: silver.nowhere is not a table a check of gold.mart can read"),
            ("[[checks]]\nasset = \"gold.mart\"\ncheck = \"relationship(coin_id, gold.mart.nope)\"\n", "checks/t.toml line 3: gold.mart has no column nope"),
        ]
        for (text, message) in cases {
            let root = try root(files: ["checks/t.toml": text])
            XCTAssertThrowsError(try CheckFiles.apply(try CheckFiles.load(root: root.url), to: specs()), text) { error in
                XCTAssertTrue(error is DeclarationError, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix(message), "\(error)")
            }
        }
    }
}

/// The SQL each kind compiles to runs on SQLite with its dialect's spelling.
final class CheckDialectTests: XCTestCase {
    func testGapsFindTheDaysMissingInEachGroupOnSQLite() throws {
        let database = try Database(path: ":memory:")
        try database.execute("CREATE TABLE prices (ticker TEXT, date TEXT)")
        for (ticker, date) in [("A", "2026-01-01"), ("A", "2026-01-02"), ("A", "2026-01-09"), ("B", "2026-01-01"), ("B", "2026-01-05")] {
            try database.execute("INSERT INTO prices VALUES (?, ?)", [.text(ticker), .text(date)])
        }
        let check = AssetCheck("gaps", .gaps(column: "date", by: ["ticker"], days: 3))
        let sql = check.failingRowsSQL(table: SQLDialect.sqlite.table(AssetKey(.silver, "prices"), from: AssetKey(.silver, "prices")),
                                       asset: AssetKey(.silver, "prices"), today: Day(ordinal: 0))
        XCTAssertEqual(try database.rows(sql).map { $0.map(\.rendered) }, [["A", "2026-01-02", "2026-01-09"], ["B", "2026-01-01", "2026-01-05"]])
        XCTAssertTrue(check.failingRowsSQL(table: "silver.prices", asset: AssetKey(.silver, "prices"), today: Day(ordinal: 0), dialect: .postgres)
            .contains("(date::date - previous_date::date) > 3"))
        XCTAssertFalse(AssetCheck("q", .quarantined(rule: "ohlc")).runs(on: .postgres))
        XCTAssertFalse(AssetCheck("b", .sql("SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM _baselines)")).runs(on: .postgres))
        XCTAssertTrue(AssetCheck("s", .sql("SELECT * FROM {{table}} WHERE x_ < 0")).runs(on: .postgres))
    }
}
