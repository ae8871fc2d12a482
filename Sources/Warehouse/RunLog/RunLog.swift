import Foundation

/// `warehouse.sqlite`: every run, what each asset did in it, the checks it ran, bronze's
/// materializations, and the exports written (`ExportLedger`).
public final class RunLog {
    public let database: Database

    static let migrator: SchemaMigrator = {
        var migrator = SchemaMigrator()
        migrator.register("runs-v1", sql: """
            CREATE TABLE runs (
                run_id TEXT PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL,
                command TEXT NOT NULL,
                assets_run INTEGER NOT NULL DEFAULT 0,
                assets_skipped INTEGER NOT NULL DEFAULT 0,
                assets_failed INTEGER NOT NULL DEFAULT 0,
                rows INTEGER NOT NULL DEFAULT 0,
                rejects INTEGER NOT NULL DEFAULT 0,
                requests INTEGER NOT NULL DEFAULT 0,
                cache_hits INTEGER NOT NULL DEFAULT 0,
                bytes_fetched INTEGER NOT NULL DEFAULT 0,
                seconds REAL
            );
            CREATE TABLE run_assets (
                run_id TEXT NOT NULL REFERENCES runs(run_id),
                asset TEXT NOT NULL,
                status TEXT NOT NULL,
                reason TEXT NOT NULL,
                rows INTEGER,
                rejects INTEGER,
                requests INTEGER,
                cache_hits INTEGER,
                bytes_fetched INTEGER,
                seconds REAL NOT NULL,
                error TEXT,
                PRIMARY KEY (run_id, asset)
            );
            """)
        migrator.register("check-results-v1", sql: """
            CREATE TABLE check_results (
                run_id TEXT NOT NULL,
                asset TEXT NOT NULL,
                check_name TEXT NOT NULL,
                severity TEXT NOT NULL,
                passed INTEGER NOT NULL,
                failing_rows INTEGER NOT NULL,
                sample TEXT NOT NULL,
                PRIMARY KEY (run_id, asset, check_name)
            );
            ALTER TABLE runs ADD COLUMN checks_failed INTEGER NOT NULL DEFAULT 0;
            """)
        migrator.register(ExportLedger.migration.name, sql: ExportLedger.migration.sql)
        migrator.register("check-results-v2-thresholds", sql: """
            ALTER TABLE check_results ADD COLUMN status TEXT;
            ALTER TABLE check_results ADD COLUMN total_rows INTEGER;
            ALTER TABLE check_results ADD COLUMN thresholds TEXT;
            UPDATE check_results SET status = CASE WHEN passed = 1 THEN 'pass' ELSE severity END;
            """)
        return migrator
    }()

    /// Records check results of a run (or of `warehouse check`).
    public func record(_ results: [CheckResult], runID: String) throws {
        for result in results {
            try database.execute("""
                INSERT OR REPLACE INTO check_results(run_id, asset, check_name, severity, passed, failing_rows, sample, status, total_rows, thresholds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(runID), .text(result.asset.description), .text(result.check),
                      .text(result.status.rawValue),
                      .integer(result.passed ? 1 : 0), .integer(Int64(result.failingRows)), .text(result.sample.joined(separator: "\n")),
                      .text(result.status.rawValue), .integer(Int64(result.totalRows)), .text(result.thresholds)])
        }
    }

    /// Opens (creating) the run log of a root.
    public init(layout: WarehouseLayout) throws {
        try layout.prepare()
        database = try Database(path: layout.runLogDatabase.path)
        try Self.migrator.migrate(database)
        try MaterializationLog.prepare(database)
    }

    /// Records that a run started. Call with the root lock held: any run still marked
    /// `running` then died without finishing, and is marked `abandoned`.
    public func begin(runID: String, command: String, at time: Date) throws {
        try database.execute("UPDATE runs SET status = 'abandoned' WHERE status = 'running'")
        try database.execute("INSERT INTO runs(run_id, started_at, status, command) VALUES (?, ?, 'running', ?)",
                             [.text(runID), .text(ISO8601.format(time)), .text(command)])
    }

    /// Records one asset's result as soon as it is known, so a crash keeps what finished.
    public func record(_ result: AssetRunResult, runID: String) throws {
        let o = result.outcome
        try database.execute("""
            INSERT OR REPLACE INTO run_assets(run_id, asset, status, reason, rows, rejects, requests, cache_hits, bytes_fetched, seconds, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(runID), .text(result.key.description), .text(result.status.rawValue), .text(result.reason),
                  o.map { .integer(Int64($0.rows)) } ?? .null, o.map { .integer(Int64($0.rejects)) } ?? .null,
                  o.map { .integer(Int64($0.requests)) } ?? .null, o.map { .integer(Int64($0.cacheHits)) } ?? .null,
                  o.map { .integer(Int64($0.bytesFetched)) } ?? .null, .real(result.seconds), result.error.sqlValue])
    }

    /// Closes a run with its totals.
    public func finish(_ summary: RunSummary, at time: Date) throws {
        try database.execute("""
            UPDATE runs SET finished_at = ?, status = ?, assets_run = ?, assets_skipped = ?, assets_failed = ?,
                rows = ?, rejects = ?, requests = ?, cache_hits = ?, bytes_fetched = ?, seconds = ?, checks_failed = ?
            WHERE run_id = ?
            """, [.text(ISO8601.format(time)), .text(summary.succeeded ? "success" : "failed"),
                  .integer(Int64(summary.count(.success))), .integer(Int64(summary.count(.skipped))),
                  .integer(Int64(summary.count(.failed) + summary.count(.blocked))),
                  .integer(Int64(summary.rows)), .integer(Int64(summary.rejects)), .integer(Int64(summary.requests)),
                  .integer(Int64(summary.cacheHits)), .integer(Int64(summary.bytesFetched)), .real(summary.seconds),
                  .integer(Int64(summary.checks.filter { $0.status == .error }.count)), .text(summary.runID)])
    }

    /// Runs newest first, as column-name -> value rows.
    public func recentRuns(limit: Int = 20) throws -> [[String: SQLValue]] {
        let statement = try database.prepare("""
            SELECT run_id, started_at, finished_at, status, command, assets_run, assets_skipped, assets_failed,
                   rows, rejects, requests, cache_hits, bytes_fetched, seconds, checks_failed
            FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?
            """)
        try statement.bind([.integer(Int64(limit))])
        var result: [[String: SQLValue]] = []
        while try statement.step() {
            var row: [String: SQLValue] = [:]
            for i in 0..<statement.columnCount { row[statement.columnName(i)] = statement.value(at: i) }
            result.append(row)
        }
        return result
    }
}
