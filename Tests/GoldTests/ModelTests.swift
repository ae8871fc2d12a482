import Foundation
import Gold
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// Models: gold assets declared by SQL files, checked against the graph with SQLite's parser
/// before anything runs. Every mistake names the file, the line and the fix.
final class ModelTests: XCTestCase {
    /// What the models may read: every silver table as silver declares it, and a bronze dataset.
    let silver = SilverAssets.specs(settings: WarehouseSettings())
        + [AssetSpec(key: AssetKey(.bronze, "coingecko_markets"), summary: "", version: "1", build: { _ in BuildOutcome(rows: 0) })]

    static let weekly = ModelFixtures.weeklyRollup

    func specs(_ files: [String: String], settings: WarehouseSettings = WarehouseSettings()) throws -> [AssetSpec] {
        let root = TemporaryRoot("models")
        for (path, text) in files {
            let url = root.url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return try GoldAssets.specs(settings: settings, root: root.url, upstreams: silver, environment: [:])
    }

    func testAModelFileDeclaresEverythingASwiftSpecDoes() throws {
        let spec = try XCTUnwrap(try specs(["models/crypto/weekly_rollup.sql": Self.weekly]).first { $0.key.name == "weekly_rollup" })
        XCTAssertEqual(spec.upstreams, [GoldAssets.coinDailyFeatures])
        XCTAssertEqual(spec.tags, ["crypto", "weekly", "gold"])
        XCTAssertEqual(spec.summary, "Weekly close and volume per coin.")
        XCTAssertEqual(spec.source, "models/crypto/weekly_rollup.sql")
        XCTAssertEqual(spec.checks.map(\.name), ["not_null_coin_id_week", "unique_coin_id_week", "range_volume"])
        XCTAssertEqual(spec.checks.map(\.severity), [.error, .error, .warn])
        XCTAssertEqual(spec.columns, ["coin_id": "", "week": "ISO week start (YYYY-MM-DD)", "close": "highest close of the week, USD", "volume": ""],
                       "every column the query returns, described where the header says")
    }

    func testTheBuiltInPlainSQLMartsAreModels() throws {
        let specs = try specs([:])
        for name in ["crypto_analytics_mart", "market_segment_analysis", "universe_membership", "research_dataset", "dashboard_dataset"] {
            let spec = try XCTUnwrap(specs.first { $0.key == AssetKey(.gold, name) }, name)
            XCTAssertEqual(spec.source, "sql/\(name).sql")
            XCTAssertTrue(spec.version.hasPrefix("model-1+sql:"), spec.version)
            XCTAssertFalse(spec.columns.isEmpty)
            XCTAssertTrue(spec.columns.values.allSatisfy { !$0.isEmpty }, "\(name): every column of a built-in is described")
        }
        let mart = try XCTUnwrap(specs.first { $0.key == GoldAssets.cryptoAnalyticsMart })
        XCTAssertEqual(mart.upstreams, [AssetKey(.silver, "coin_markets"), GoldAssets.coinDailyFeatures])
        XCTAssertEqual(mart.checks.map(\.name), ["top_n_rows", "known_category", "coin_in_markets"])
        XCTAssertEqual(mart.summary, "Top 50 coins now: price, market cap, category, 24h/7d change, 30-day volatility, rank")
        // A setting reaches the SQL, the summary, a check and the version through the parameters line.
        var settings = WarehouseSettings()
        settings.martTopN = 7
        let seven = try XCTUnwrap(try self.specs([:], settings: settings).first { $0.key == GoldAssets.cryptoAnalyticsMart })
        XCTAssertEqual(seven.checks[0].kind, .rowCount(min: 1, max: 7))
        XCTAssertTrue(seven.summary.hasPrefix("Top 7 coins"))
        XCTAssertNotEqual(seven.version, mart.version)
    }

    func testProseInTheHeaderRebuildsNothing() throws {
        let base = try XCTUnwrap(try specs(["models/w.sql": Self.weekly]).first { $0.key.name == "weekly_rollup" })
        let reworded = try XCTUnwrap(try specs(["models/w.sql": Self.weekly.replacingOccurrences(of: "Weekly close", with: "The weekly close")]).first { $0.key.name == "weekly_rollup" })
        let edited = try XCTUnwrap(try specs(["models/w.sql": Self.weekly.replacingOccurrences(of: "max(close)", with: "min(close)")]).first { $0.key.name == "weekly_rollup" })
        XCTAssertEqual(base.version, reworded.version)
        XCTAssertNotEqual(base.version, edited.version)
    }

    /// (what the file says, the message it gets, which starts with the file and line).
    func testEveryMistakeNamesTheFileAndLine() throws {
        let w = Self.weekly
        let cases: [(String, String)] = [
            (w.replacingOccurrences(of: "-- upstreams:", with: "-- upstream:"),
             "models/w.sql line 3: 'upstream:' is not a header key. To fix this, did you mean 'upstreams:'?"),
            (w.replacingOccurrences(of: "max(close)", with: "max(closing)"), "models/w.sql line 9: the SQL does not prepare: no such column: closing."),
            (w.replacingOccurrences(of: "GROUP BY", with: "GRUOP BY"), "models/w.sql line 11: the SQL does not prepare: near \"BY\": syntax error."),
            (w.replacingOccurrences(of: "FROM coin_daily_features", with: "FROM coin_daily_features JOIN silver.coin_markets USING (coin_id)"),
             "models/w.sql line 10: the SQL reads silver.coin_markets, which the header does not declare. To fix this, add silver.coin_markets to the '-- upstreams:' line"),
            (w.replacingOccurrences(of: "gold.coin_daily_features", with: "gold.coin_daily_features, silver.coin_prices"),
             "models/w.sql line 3: upstream silver.coin_prices is declared but the SQL does not read it."),
            (w.replacingOccurrences(of: "range(volume", with: "range(volumes"),
             "models/w.sql line 7: check range_volumes does not fit the table: no such column: volumes. To fix this, name columns the table has: coin_id, week, close, volume."),
            (w.replacingOccurrences(of: "gold.coin_daily_features", with: "gold.coin_daily_feature"),
             "models/w.sql line 3: upstream gold.coin_daily_feature is not an asset. To fix this, did you mean gold.coin_daily_features?"),
            (w.replacingOccurrences(of: "gold.coin_daily_features", with: "bronze.coingecko_markets"), "models/w.sql line 3: bronze.coingecko_markets is a bronze dataset"),
            (w.replacingOccurrences(of: "FROM coin_daily_features", with: "FROM gold.coin_daily_features"),
             "models/w.sql line 10: the SQL does not prepare: no such table: gold.coin_daily_features. To fix this, gold tables are read without a schema"),
            (w.replacingOccurrences(of: "-- primary_key: coin_id, week", with: "-- primary_key: coin_id, day"),
             "models/w.sql line 5: primary_key names day, which the query does not return."),
            (w.replacingOccurrences(of: "week = ISO", with: "weak = ISO"), "models/w.sql line 8: 'columns:' describes weak, which the table does not have."),
            (w.replacingOccurrences(of: "-- asset: gold.weekly_rollup", with: "-- asset: silver.weekly_rollup"), "models/w.sql line 1: 'silver.weekly_rollup' is not a gold asset name."),
            (w.replacingOccurrences(of: "-- asset: gold.weekly_rollup", with: "-- asset: gold.crypto_analytics_mart"),
             "models/w.sql line 1: gold.crypto_analytics_mart is already declared by sql/crypto_analytics_mart.sql."),
            (w.replacingOccurrences(of: "-- asset: gold.weekly_rollup\n", with: ""), "models/w.sql line 1: has no '-- asset: gold.NAME' header"),
            (w.replacingOccurrences(of: "max(close)", with: "max(close) * {{scale}}"), "models/w.sql line 9: {{scale}} is not a parameter of this model."),
            (w.replacingOccurrences(of: "GROUP BY coin_id, week", with: "GROUP BY coin_id, week;\nDELETE FROM coin_daily_features"),
             "models/w.sql line 9: the SQL is neither one query nor a rebuild"),
            (w.replacingOccurrences(of: "-- tags: crypto, weekly", with: "-- tags: crypto\n-- tags: weekly"), "models/w.sql line 5: 'tags:' is declared twice (first on line 4)."),
            (w.replacingOccurrences(of: "unique(coin_id, week)", with: "unique(coin_id, week) loudly"), "models/w.sql line 7: 'loudly' after the check"),
            (w.replacingOccurrences(of: "-- checks:", with: "-- Checks:"), "models/w.sql line 7: 'Checks:' looks like the header key 'checks:' but is not written as one."),
            (w.replacingOccurrences(of: "-- primary_key:", with: "-- primary key:"), "models/w.sql line 5: 'primary key:' looks like the header key 'primary_key:'"),
            (w.replacingOccurrences(of: "-- tags: crypto, weekly", with: "-- check no_future: SELECT 1"), "models/w.sql line 4: 'check no_future:' looks like the header key 'check:'"),
            // What the parser alone would not see: a second statement on a line, a write elsewhere.
            (w.replacingOccurrences(of: "GROUP BY coin_id, week", with: "GROUP BY coin_id, week; DELETE FROM crypto_analytics_mart"),
             "models/w.sql line 9: two statements share a line."),
            (w.replacingOccurrences(of: "GROUP BY coin_id, week", with: "GROUP BY coin_id, week;\nDELETE FROM crypto_analytics_mart;\nSELECT 1"),
             "models/w.sql line 9: the SQL is neither one query nor a rebuild"),
            ("-- asset: gold.w\n-- upstreams: silver.coin_markets\nCREATE TABLE {{table}} (a TEXT); -- layout\nINSERT INTO {{table}} SELECT coin_id FROM silver.coin_markets;\n",
             "models/w.sql line 3: two statements share a line."),
            ("-- asset: gold.w\nCREATE TABLE {{table}} (a TEXT);\nINSERT INTO {{table}} VALUES ('x');\nDELETE FROM research_dataset;\n",
             "models/w.sql line 4: the SQL would delete research_dataset and a model only builds its own table."),
            ("-- asset: gold.w\nCREATE TABLE {{table}} (a TEXT);\nDROP TABLE research_dataset;\n",
             "models/w.sql line 3: the SQL would drop table research_dataset and a model only builds its own table."),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try specs(["models/w.sql": text]), message) { error in
                XCTAssertTrue(error is DeclarationError, "\(error)")
                XCTAssertEqual((error as? WarehouseError)?.exitStatus, .usage)
                XCTAssertTrue("\(error)".hasPrefix(message), "got: \(error)\nwanted: \(message)")
            }
        }
    }

    func testModelsReadEachOtherInOrderAndACycleIsNamed() throws {
        let daily = """
            -- asset: gold.b_daily
            -- upstreams: gold.a_weekly
            SELECT coin_id, week FROM a_weekly
            """
        let weekly = Self.weekly.replacingOccurrences(of: "gold.weekly_rollup", with: "gold.a_weekly")
        let specs = try specs(["models/b.sql": daily, "models/a.sql": weekly])
        XCTAssertEqual(specs.first { $0.key.name == "b_daily" }?.columns.keys.sorted(), ["coin_id", "week"])
        let loop = weekly.replacingOccurrences(of: "-- upstreams: gold.coin_daily_features", with: "-- upstreams: gold.coin_daily_features, gold.b_daily")
        XCTAssertThrowsError(try self.specs(["models/b.sql": daily, "models/a.sql": loop])) { error in
            XCTAssertTrue("\(error)".contains("these models read each other in a cycle: gold.a_weekly (models/a.sql), gold.b_daily (models/b.sql)"), "\(error)")
        }
    }

    func testAFileInModelsThatIsNotTextIsNamed() throws {
        let root = TemporaryRoot("models-binary")
        try FileManager.default.createDirectory(at: root.url.appendingPathComponent("models"), withIntermediateDirectories: true)
        try Data([0x2D, 0x2D, 0xFF, 0xFE]).write(to: root.url.appendingPathComponent("models/bad.sql"))
        XCTAssertThrowsError(try GoldAssets.specs(settings: WarehouseSettings(), root: root.url, upstreams: silver, environment: [:])) {
            XCTAssertEqual("\($0)", "models/bad.sql: is not UTF-8 text. To fix this, save it as UTF-8.")
        }
    }
}
