/// What happened to one asset in a run.
public struct AssetRunResult: Sendable {
    public enum Status: String, Sendable, Codable {
        case success, skipped, failed, blocked
    }

    public let key: AssetKey
    public let status: Status
    public let reason: String
    public let outcome: BuildOutcome?
    public let seconds: Double
    public let error: String?

    public init(key: AssetKey, status: Status, reason: String, outcome: BuildOutcome?, seconds: Double, error: String?) {
        self.key = key
        self.status = status
        self.reason = reason
        self.outcome = outcome
        self.seconds = seconds
        self.error = error
    }
}

/// The run summary the CLI prints and the run log stores.
public struct RunSummary: Sendable {
    public let runID: String
    public let results: [AssetRunResult]
    public let seconds: Double
    /// The checks run after each materialization.
    public var checks: [CheckResult] = []

    public init(runID: String, results: [AssetRunResult], seconds: Double, checks: [CheckResult] = []) {
        self.runID = runID
        self.results = results
        self.seconds = seconds
        self.checks = checks
    }

    public var succeeded: Bool { !results.contains { $0.status == .failed || $0.status == .blocked } }

    public func count(_ status: AssetRunResult.Status) -> Int { results.filter { $0.status == status }.count }
    public var rows: Int { results.compactMap { $0.status == .success ? $0.outcome?.rows : nil }.reduce(0, +) }
    public var rejects: Int { results.compactMap { $0.outcome?.rejects }.reduce(0, +) }
    public var requests: Int { results.compactMap { $0.outcome?.requests }.reduce(0, +) }
    public var cacheHits: Int { results.compactMap { $0.outcome?.cacheHits }.reduce(0, +) }
    public var bytesFetched: Int { results.compactMap { $0.outcome?.bytesFetched }.reduce(0, +) }
    public var bucketHits: Int { results.compactMap { $0.outcome?.bucketHits }.reduce(0, +) }
    /// Snapshots uploaded to the shared bucket: as bronze fetched them, plus those the run's
    /// end found missing there (fetched while it was down, or before the root had one).
    public var uploads: Int { results.compactMap { $0.outcome?.uploads }.reduce(0, +) + lateUploads }
    /// Snapshots of today still not in the bucket when the run ended (a later run uploads them);
    /// without that end check, the uploads that failed during the run.
    public var uploadFailures: Int { pendingUploads ?? results.compactMap { $0.outcome?.uploadFailures }.reduce(0, +) }
    public var lateUploads = 0
    public var pendingUploads: Int?
    /// What the run's end published to PostgreSQL (`[targets.postgres]`); nil without a target.
    public var published: PublishTally?
    /// What the run's end wrote to the Parquet lake (`[lake]`); nil without one.
    public var lake: LakeTally?
}

/// The gold tables a run's end synced to the Parquet lake, in numbers.
public struct LakeTally: Sendable, Equatable {
    /// The lake's folder.
    public var folder: String
    /// Tables whose partitions were compared, partition files rewritten, left alone and removed.
    public var tables = 0
    public var written = 0
    public var kept = 0
    public var removed = 0
    /// Tables the lake already held in this version.
    public var unchanged = 0
    /// Tables not synced (the lake keeps their previous files; the next run redoes them).
    public var failures = 0

    public init(folder: String) { self.folder = folder }
}

/// The tables a run's end published to PostgreSQL, in numbers.
public struct PublishTally: Sendable, Equatable {
    /// The server, without secrets.
    public var target: String
    /// Tables sent (whole or their changes), and the rows that took.
    public var tables = 0
    public var rowsSent = 0
    /// Tables PostgreSQL already held in this version.
    public var unchanged = 0
    /// Tables not published (PostgreSQL keeps their previous version; the next run redoes them).
    public var failures = 0

    public init(target: String) { self.target = target }
}
