import Foundation
import Publisher
import Warehouse
import WarehouseTestSupport
import XCTest

/// `warehouse publish` against a real PostgreSQL server started for the class: the main job's
/// silver and gold published, compared with SQLite by an independent client (psycopg), then
/// republished unchanged, then a day later with only the changed rows, then cut off by kill -9.
final class PublishEndToEndTests: XCTestCase {
    private static var cluster: PostgresCluster?

    override class func tearDown() {
        cluster = nil
        super.tearDown()
    }

    /// The class's server, started on first use.
    private func server() throws -> PostgresCluster {
        if let cluster = Self.cluster { return cluster }
        let cluster = try PostgresCluster()
        Self.cluster = cluster
        return cluster
    }

    /// A fresh database on the server, and a warehouse whose CLI knows its password.
    private func warehouse(_ name: String) throws -> (EmulatedWarehouse, PostgresCluster, String) {
        let cluster = try server()
        try cluster.createDatabase(name)
        let warehouse = try EmulatedWarehouse(name)
        warehouse.cli.environment["WAREHOUSE_PG_PASSWORD"] = cluster.password
        return (warehouse, cluster, name)
    }

    /// Every data table of the silver and gold databases, as `layer.table`.
    private func dataTables(_ root: TemporaryRoot) throws -> [String] {
        try [Layer.silver, .gold].flatMap { layer -> [String] in
            let database = try Database(path: root.layout.database(for: layer).path, readOnly: true)
            return try database.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '%\\_\\_build' ESCAPE '\\' ORDER BY name")
                .compactMap { $0[0].string }.map { "\(layer.rawValue).\($0)" }
        }
    }

    /// The oracle's verdict on every data table: counts, primary keys and checksums equal.
    private func assertSame(_ root: TemporaryRoot, _ cluster: PostgresCluster, _ database: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let tables = try dataTables(root)
        XCTAssertGreaterThan(tables.count, 15, file: file, line: line)
        let output = try PythonOracle("postgres_oracle.py").run([root.path, cluster.dsn(database)] + tables)
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        let verdict = try XCTUnwrap(try JSONSerialization.jsonObject(with: output.stdoutData) as? [String: Any], file: file, line: line)
        let compared = try XCTUnwrap(verdict["tables"] as? [String: [String: [String: Any]]], file: file, line: line)
        XCTAssertEqual(Set(compared.keys), Set(tables), file: file, line: line)
        for (table, sides) in compared {
            XCTAssertEqual(sides["sqlite"]?["rows"] as? Int, sides["postgres"]?["rows"] as? Int, "\(table) row count", file: file, line: line)
            XCTAssertEqual(sides["sqlite"]?["key"] as? [String], sides["postgres"]?["key"] as? [String], "\(table) primary key", file: file, line: line)
            XCTAssertEqual(sides["sqlite"]?["checksum"] as? String, sides["postgres"]?["checksum"] as? String, "\(table) checksum", file: file, line: line)
        }
        return verdict
    }

    private func connect(_ cluster: PostgresCluster, _ database: String) throws -> PostgresConnection {
        try PostgresConnection(try PostgresTarget(url: cluster.url(database), setting: "test"), password: cluster.password)
    }

    private func outcomes(_ result: CLIRunner.Result) throws -> [String: [String: Any]] {
        let tables = try XCTUnwrap((try result.json() as? [String: Any])?["tables"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: tables.map { ($0["table"] as? String ?? "", $0) })
    }

    func testPublishedMartsEqualSQLiteAndRepublishSendsOnlyWhatChanged() throws {
        let (warehouse, cluster, database) = try warehouse("marts")
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let first = try warehouse.run(["publish", "--to", cluster.url(database), "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let published = try outcomes(first)
        XCTAssertEqual(published["silver.coin_prices"]?["outcome"] as? String, "whole")
        XCTAssertFalse(first.stdout.contains(cluster.password), "the password never appears in output")

        let verdict = try assertSame(warehouse.root, cluster, database)
        // psql-side and gold.sqlite-side answers to a BI user's questions agree.
        for (query, result) in try XCTUnwrap(verdict["queries"] as? [String: [String: Any]]) {
            XCTAssertEqual(result["same"] as? Bool, true, "\(query): \(result)")
        }
        let connection = try connect(cluster, database)
        let comment = try connection.query("SELECT col_description('gold.coin_daily_features'::regclass, 2)").first?.first ?? nil
        XCTAssertEqual(comment, "UTC day (YYYY-MM-DD)", "column descriptions are published as COMMENT ON COLUMN")
        let indexes = try connection.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'gold' AND tablename = 'coin_daily_features' ORDER BY 1").compactMap { $0[0] }
        XCTAssertEqual(indexes, ["coin_daily_features_date", "coin_daily_features_pkey"])
        let runs = try connection.query("SELECT count(*) FROM warehouse_meta.runs").first?.first ?? nil
        XCTAssertEqual(runs, "1")
        let checks = Int(try connection.query("SELECT count(*) FROM warehouse_meta.checks").first?.first.flatMap { $0 } ?? "") ?? 0
        XCTAssertGreaterThan(checks, 20)

        // Nothing changed: nothing sent, nothing written, no ledger row added.
        let ledgerBefore = try connection.query("SELECT count(*) FROM warehouse_meta.publications").first?.first ?? nil
        let second = try warehouse.run(["publish", "--to", cluster.url(database), "--json"])
        XCTAssertEqual(second.status, 0, second.stderr)
        for (table, entry) in try outcomes(second) where !table.hasPrefix("warehouse_meta") {
            XCTAssertTrue(["unchanged", "skipped"].contains(entry["outcome"] as? String ?? ""), "\(table): \(entry)")
        }
        for (table, entry) in try outcomes(second) where table.hasPrefix("warehouse_meta") {
            XCTAssertEqual(entry["written"] as? Int, 0, "\(table) rewrote rows that did not change")
        }
        XCTAssertEqual(try connection.query("SELECT count(*) FROM warehouse_meta.publications").first?.first ?? nil, ledgerBefore)

        // A day later, with [targets.postgres] set: materialize publishes at its end, and the
        // incrementally built tables send only their changed rows.
        try "[targets.postgres]\nurl = \"\(cluster.url(database))\"\n".write(to: warehouse.root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        let tomorrow = try EmulatedWarehouse(warehouse, daysLater: 1)
        let run = try tomorrow.run(["materialize", "--all"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("PostgreSQL \(cluster.url(database))"), run.stdout)
        let ledger = try connection.query("SELECT mode, rows_sent, rows FROM warehouse_meta.publications WHERE asset = 'silver.coin_prices' ORDER BY id")
        XCTAssertEqual(ledger.count, 2)
        XCTAssertEqual(ledger.last?[0], "changes")
        let sent = Int(ledger.last?[1] ?? "") ?? 0, total = Int(ledger.last?[2] ?? "") ?? 0
        XCTAssertGreaterThan(sent, 0)
        XCTAssertLessThan(sent * 10, total, "a next-day publish sends the new day's rows, not the table")
        let features = try connection.query("SELECT mode FROM warehouse_meta.publications WHERE asset = 'gold.coin_daily_features' ORDER BY id DESC LIMIT 1")
        XCTAssertEqual(features.first?.first, "changes")
        _ = try assertSame(warehouse.root, cluster, database)

        // The same checks, compiled for PostgreSQL, give SQLite's results on the published tables.
        let onSQLite = try checkResults(tomorrow.run(["check", "--json"]))
        let onPostgres = try checkResults(tomorrow.run(["check", "--on", cluster.url(database), "--json"]))
        XCTAssertGreaterThan(onPostgres.count, 25)
        for (check, result) in onPostgres {
            XCTAssertEqual(result, onSQLite[check], check)
        }
        let leftOut = Set(onSQLite.keys).subtracting(onPostgres.keys)
        XCTAssertFalse(leftOut.isEmpty)
        XCTAssertLessThan(leftOut.count, 10, "only checks on SQLite's bookkeeping (_rejects, _baselines) stay in SQLite: \(leftOut)")
        // Damage PostgreSQL's copy alone: the checks there see it, SQLite's do not.
        try connection.execute("UPDATE gold.coin_daily_features SET rsi_14 = 150 WHERE date = (SELECT max(date) FROM gold.coin_daily_features)")
        let damaged = try tomorrow.run(["check", "gold.coin_daily_features", "--on", cluster.url(database), "--json"])
        XCTAssertEqual(damaged.status, 1, damaged.stderr)
        XCTAssertEqual(try checkResults(damaged)["gold.coin_daily_features rsi_0_100"]?[0], "error", damaged.stdout)
        XCTAssertEqual(try checkResults(tomorrow.run(["check", "gold.coin_daily_features", "--json"])).filter { $0.value[0] != "pass" }.count, 0)
    }

    /// `check --json` as (asset check) -> [status, failing rows, total rows].
    private func checkResults(_ result: CLIRunner.Result) throws -> [String: [String]] {
        let rows = try XCTUnwrap(try result.json() as? [[String: Any]], result.stdout + result.stderr)
        return Dictionary(uniqueKeysWithValues: rows.map { row in
            ("\(row["asset"] ?? "") \(row["check"] ?? "")", ["\(row["status"] ?? "")", "\(row["failing_rows"] ?? "")", "\(row["total_rows"] ?? "")"])
        })
    }

    func testKillDuringPublishLeavesPostgresConsistentAndTheRerunCompletes() throws {
        let (warehouse, cluster, database) = try warehouse("killed")
        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let watcher = try connect(cluster, database)
        let process = try warehouse.cli.start(["publish", "--to", cluster.url(database), "--root", warehouse.root.path])
        // Killed while it copies silver.coin_prices, the largest table, into its transaction.
        let deadline = Date().addingTimeInterval(120)
        var caught = false
        while process.isRunning && Date() < deadline {
            let copying = try watcher.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'medallion-warehouse' AND state = 'active' AND query LIKE 'COPY \"silver\".\"coin_prices\"%'")
            if copying.first?.first == "1" {
                kill(process.processIdentifier, SIGKILL)
                caught = true
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        XCTAssertTrue(caught, "the publish finished before it could be killed mid-COPY")
        // The server ends the dead client's transaction: nothing of it stays.
        var open = "1"
        for _ in 0..<200 where open != "0" {
            open = try watcher.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'medallion-warehouse' AND pid <> pg_backend_pid()").first?.first.flatMap { $0 } ?? "?"
            usleep(50_000)
        }
        XCTAssertEqual(open, "0")
        let table = try watcher.query("SELECT to_regclass('silver.coin_prices') IS NULL").first?.first ?? nil
        XCTAssertEqual(table, "t", "the half-copied table was never committed")
        XCTAssertEqual(try watcher.query("SELECT count(*) FROM warehouse_meta.publications WHERE asset = 'silver.coin_prices'").first?.first ?? nil, "0")
        // What was committed before the kill is whole: each table holds the rows its ledger row says.
        for row in try watcher.query("SELECT asset, rows FROM warehouse_meta.publications") {
            let count = try watcher.query("SELECT count(*) FROM \(row[0] ?? "")").first?.first ?? nil
            XCTAssertEqual(count, row[1], "\(row[0] ?? "")")
        }
        let rerun = try warehouse.run(["publish", "--to", cluster.url(database), "--json"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try outcomes(rerun)["silver.coin_prices"]?["outcome"] as? String, "whole")
        _ = try assertSame(warehouse.root, cluster, database)
    }

    func testConnectionProblemsAreClearAndNeverShowThePassword() throws {
        let (warehouse, cluster, database) = try warehouse("errors")
        XCTAssertEqual(try warehouse.run(["materialize", "silver.fx_rates"]).status, 0)
        var wrong = warehouse.cli
        wrong.environment["WAREHOUSE_PG_PASSWORD"] = "not-the-password"
        let refused = try wrong.run(["publish", "--to", cluster.url(database), "--root", warehouse.root.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("cannot connect to PostgreSQL at \(cluster.url(database))"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("WAREHOUSE_PG_PASSWORD"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("not-the-password"))

        let inURL = try warehouse.run(["publish", "--to", "postgresql://warehouse:hunter2@127.0.0.1:\(cluster.port)/\(database)"])
        XCTAssertEqual(inURL.status, 2)
        XCTAssertTrue(inURL.stderr.contains("--to: the URL holds a password"), inURL.stderr)
        XCTAssertFalse(inURL.stderr.contains("hunter2"))

        let noTarget = try warehouse.run(["publish"])
        XCTAssertEqual(noTarget.status, 2)
        XCTAssertTrue(noTarget.stderr.contains("[targets.postgres]"), noTarget.stderr)

        try "[targets.postgres]\nurl = \"mysql://x@127.0.0.1/db\"\n".write(to: warehouse.root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        let badSetting = try warehouse.run(["publish"])
        XCTAssertEqual(badSetting.status, 2)
        XCTAssertTrue(badSetting.stderr.contains("warehouse.toml: targets.postgres.url"), badSetting.stderr)
    }
}
