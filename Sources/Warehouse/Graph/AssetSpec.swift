/// The declaration of one asset: plain data plus the two functions the orchestrator calls.
/// Specs are separate from execution so the graph can be validated, listed and planned
/// without building anything.
public struct AssetSpec {
    public let key: AssetKey
    /// Assets this one reads; they are built first.
    public let upstreams: [AssetKey]
    /// Free-form labels for `tag:` selection (e.g. `crypto`, `coingecko`).
    public let tags: Set<String>
    /// One line for `warehouse assets` and the docs.
    public let summary: String
    /// What each column of the asset's table means (name -> description), for the API's
    /// schema, the docs and BI tools (`warehouse docs --datasette`).
    public let columns: [String: String]
    /// Changes whenever the code or SQL that builds the asset changes; part of its fingerprint.
    public let version: String
    /// What the asset reads besides its upstream assets, each as a fingerprint
    /// (e.g. `raw:coingecko/market_chart` -> hash of that dataset's files). Must be cheap.
    public let inputs: (BuildContext) throws -> [String: String]
    /// Data quality rules run after each materialization and by `warehouse check`
    /// (`checks/*.toml` adds to them, or changes them: `CheckFiles`).
    public internal(set) var checks: [AssetCheck]
    /// Parquet files written to `ROOT/exports/` from the asset's table once it is built and its
    /// error-level checks pass (a failed check leaves the previous files), e.g. `dashboard_data.parquet`.
    public let exports: [String]
    /// Joins every run that selects one of its upstreams (a monitor that must see each new
    /// version of its input, such as feature drift); it still runs only when stale.
    public let runsWithUpstreams: Bool
    /// The file that declares the asset, as its user names it (`sql/crypto_analytics_mart.sql`,
    /// `models/weekly_rollup.sql`): for `path:` selection and the docs. Nil when Swift declares it alone.
    public let source: String?
    /// Which rows the entries of the asset's `ChangeLog` speak of, for an asset whose builds
    /// record what they changed; nil when every build replaces the table whole.
    public let changes: ChangeScope?
    /// Builds the asset. Silver and gold builders commit `context.record(...)` in the
    /// same transaction as their data.
    public let build: (BuildContext) throws -> BuildOutcome

    public init(
        key: AssetKey,
        upstreams: [AssetKey] = [],
        tags: Set<String> = [],
        summary: String,
        columns: [String: String] = [:],
        version: String,
        inputs: @escaping (BuildContext) throws -> [String: String] = { _ in [:] },
        checks: [AssetCheck] = [],
        exports: [String] = [],
        runsWithUpstreams: Bool = false,
        source: String? = nil,
        changes: ChangeScope? = nil,
        build: @escaping (BuildContext) throws -> BuildOutcome
    ) {
        self.checks = checks
        self.exports = exports
        self.runsWithUpstreams = runsWithUpstreams
        self.source = source
        self.changes = changes
        self.key = key
        self.upstreams = upstreams
        self.tags = tags.union([key.layer.rawValue])
        self.summary = summary
        self.columns = columns
        self.version = version
        self.inputs = inputs
        self.build = build
    }
}

/// What a build reports back.
public struct BuildOutcome: Sendable {
    /// Rows (or files, for bronze) the asset now holds.
    public var rows: Int
    /// Rows this build computed and wrote, when it extended the asset instead of replacing it
    /// (an incremental build); nil when every row was written.
    public var rowsWritten: Int?
    /// Input rows or files set aside in `_rejects`.
    public var rejects: Int
    /// HTTP requests made (bronze).
    public var requests: Int
    /// Requests answered from the raw cache on this machine (bronze).
    public var cacheHits: Int
    /// Requests answered from the team's shared bucket, copied into the raw cache (bronze).
    public var bucketHits = 0
    /// Snapshots uploaded to the shared bucket, and uploads that failed (a later run retries them).
    public var uploads = 0
    public var uploadFailures = 0
    /// Bytes fetched over HTTP (bronze).
    public var bytesFetched: Int
    /// The inputs as they stand after the build, when the build itself changed them
    /// (bronze writes the files its own staleness looks at). Nil: the inputs read before the build.
    public var inputsAfter: [String: String]?
    /// Whether the build committed its materialization record itself (silver and gold must).
    public var recorded: Bool

    public init(rows: Int, rowsWritten: Int? = nil, rejects: Int = 0, requests: Int = 0, cacheHits: Int = 0, bytesFetched: Int = 0,
                inputsAfter: [String: String]? = nil, recorded: Bool = false) {
        self.rows = rows
        self.rowsWritten = rowsWritten
        self.rejects = rejects
        self.requests = requests
        self.cacheHits = cacheHits
        self.bytesFetched = bytesFetched
        self.inputsAfter = inputsAfter
        self.recorded = recorded
    }
}
