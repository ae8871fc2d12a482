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
        migrator.register("runs-v2-trigger", sql: "ALTER TABLE runs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual';")
        migrator.register("runs-v3-bucket", sql: """
            ALTER TABLE runs ADD COLUMN bucket_hits INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE runs ADD COLUMN uploads INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE runs ADD COLUMN upload_failures INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE run_assets ADD COLUMN bucket_hits INTEGER;
            """)
        migrator.register("alerts-v1", sql: """
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                run_id TEXT NOT NULL,
                alert TEXT NOT NULL,
                target TEXT NOT NULL,
                events TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                error TEXT,
                created_at TEXT NOT NULL,
                body TEXT NOT NULL
            );
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
    public func begin(runID: String, command: String, trigger: RunTrigger = .manual, at time: Date) throws {
        try database.execute("UPDATE runs SET status = 'abandoned' WHERE status = 'running'")
        try database.execute("INSERT INTO runs(run_id, started_at, status, command, trigger) VALUES (?, ?, 'running', ?, ?)",
                             [.text(runID), .text(ISO8601.format(time)), .text(command), .text(trigger.rendered)])
    }

    /// Records one asset's result as soon as it is known, so a crash keeps what finished.
    public func record(_ result: AssetRunResult, runID: String) throws {
        let o = result.outcome
        try database.execute("""
            INSERT OR REPLACE INTO run_assets(run_id, asset, status, reason, rows, rejects, requests, cache_hits, bytes_fetched, seconds, error, bucket_hits)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(runID), .text(result.key.description), .text(result.status.rawValue), .text(result.reason),
                  o.map { .integer(Int64($0.rows)) } ?? .null, o.map { .integer(Int64($0.rejects)) } ?? .null,
                  o.map { .integer(Int64($0.requests)) } ?? .null, o.map { .integer(Int64($0.cacheHits)) } ?? .null,
                  o.map { .integer(Int64($0.bytesFetched)) } ?? .null, .real(result.seconds), result.error.sqlValue,
                  o.map { .integer(Int64($0.bucketHits)) } ?? .null])
    }

    /// Closes a run with its totals.
    public func finish(_ summary: RunSummary, at time: Date) throws {
        try database.execute("""
            UPDATE runs SET finished_at = ?, status = ?, assets_run = ?, assets_skipped = ?, assets_failed = ?,
                rows = ?, rejects = ?, requests = ?, cache_hits = ?, bytes_fetched = ?, seconds = ?, checks_failed = ?,
                bucket_hits = ?, uploads = ?, upload_failures = ?
            WHERE run_id = ?
            """, [.text(ISO8601.format(time)), .text(summary.succeeded ? "success" : "failed"),
                  .integer(Int64(summary.count(.success))), .integer(Int64(summary.count(.skipped))),
                  .integer(Int64(summary.count(.failed) + summary.count(.blocked))),
                  .integer(Int64(summary.rows)), .integer(Int64(summary.rejects)), .integer(Int64(summary.requests)),
                  .integer(Int64(summary.cacheHits)), .integer(Int64(summary.bytesFetched)), .real(summary.seconds),
                  .integer(Int64(summary.checks.filter { $0.status == .error }.count)),
                  .integer(Int64(summary.bucketHits)), .integer(Int64(summary.uploads)), .integer(Int64(summary.uploadFailures)), .text(summary.runID)])
    }

    /// Sets a finished run's bucket uploads (known only after the run's end check).
    public func recordUploads(runID: String, uploads: Int, failures: Int) throws {
        try database.execute("UPDATE runs SET uploads = ?, upload_failures = ? WHERE run_id = ?",
                             [.integer(Int64(uploads)), .integer(Int64(failures)), .text(runID)])
    }

    /// Runs newest first, as column-name -> value rows.
    public func recentRuns(limit: Int = 20) throws -> [[String: SQLValue]] {
        try Self.runs(in: database, limit: limit)
    }

    static let runColumns = """
        run_id, started_at, finished_at, status, command, assets_run, assets_skipped, assets_failed,
        rows, rejects, requests, cache_hits, bytes_fetched, seconds, checks_failed, trigger
        """

    /// Runs newest first from a run log database (also a read-only one, as the server opens it);
    /// with `failedOnly`, the runs that failed or were abandoned.
    public static func runs(in database: Database, limit: Int, failedOnly: Bool = false) throws -> [[String: SQLValue]] {
        try database.namedRows("SELECT \(runColumns) FROM runs \(failedOnly ? "WHERE status IN ('failed', 'abandoned')" : "") ORDER BY started_at DESC, rowid DESC LIMIT ?",
                               [.integer(Int64(limit))])
    }

    /// One run, nil when there is none of that id.
    public static func run(_ runID: String, in database: Database) throws -> [String: SQLValue]? {
        try database.namedRows("SELECT \(runColumns) FROM runs WHERE run_id = ?", [.text(runID)]).first
    }

    /// What each asset did in a run, in the order they finished.
    public static func assets(ofRun runID: String, in database: Database) throws -> [[String: SQLValue]] {
        try database.namedRows("""
            SELECT asset, status, reason, rows, rejects, requests, cache_hits, bytes_fetched, seconds, error
            FROM run_assets WHERE run_id = ? ORDER BY rowid
            """, [.text(runID)])
    }

    /// The checks a run (or a `warehouse check`) ran.
    public static func checks(ofRun runID: String, in database: Database) throws -> [[String: SQLValue]] {
        try database.namedRows("""
            SELECT asset, check_name, status, failing_rows, total_rows, thresholds, sample
            FROM check_results WHERE run_id = ? ORDER BY asset, check_name
            """, [.text(runID)])
    }

    /// The latest result of every check of every asset, with the run it came from.
    public static func latestChecks(in database: Database) throws -> [[String: SQLValue]] {
        try database.namedRows("""
            SELECT c.run_id, c.asset, c.check_name, c.status, c.failing_rows, c.total_rows, c.thresholds, c.sample, r.started_at
            FROM check_results AS c LEFT JOIN runs AS r USING (run_id)
            WHERE c.rowid = (SELECT x.rowid FROM check_results AS x LEFT JOIN runs AS y USING (run_id)
                             WHERE x.asset = c.asset AND x.check_name = c.check_name
                             ORDER BY coalesce(y.started_at, x.run_id) DESC, x.rowid DESC LIMIT 1)
            ORDER BY c.asset, c.check_name
            """)
    }

    /// The run still marked running, if any (a live one, or one that died and is not yet marked abandoned).
    public static func running(in database: Database) throws -> String? {
        try database.scalar("SELECT run_id FROM runs WHERE status = 'running' ORDER BY started_at DESC LIMIT 1")?.string
    }
}
