import Foundation
import Pipeline
import Warehouse

/// `GET /health` and `POST /runs`.
extension WarehouseAPI {
    /// How long a bronze dataset's newest snapshot stays fresh: the freshness the runs refetch by.
    func freshnessPolicy(_ dataset: RawDataset) -> Int {
        pipeline.settings.freshness(of: "\(dataset.source)_\(dataset.dataset)")
    }

    /// The last run, failing checks, stale assets, each source's freshness, and disk use
    /// (measured at most every `planLifetime`: it stats the raw layer).
    func health() throws -> JSONBody { try measuredHealth.get() }

    func measureHealth() throws -> JSONBody {
        let layout = pipeline.layout
        let lastRun: JSONBody = pool.exists(.runLog)
            ? try pool.with(.runLog) { try RunLog.runs(in: $0, limit: 1).first.map { JSONBody(row: $0, columns: Self.runColumns) } ?? .null } : .null
        let failing: [JSONBody] = pool.exists(.runLog)
            ? try pool.with(.runLog) { try RunLog.latestChecks(in: $0).filter { $0["status"]?.string == "error" }.map(Self.check) } : []
        let statuses = try statuses()
        let stale = statuses.filter { $0.step.willRun && $0.key.layer != .bronze }.map { JSONBody.string($0.key.description) }
        let store = RawStore(layout: layout)
        let now = pipeline.clock.now
        var sources: [JSONBody] = []
        for spec in catalog.graph.order.filter({ $0.layer == .bronze }) {
            let dataset = RawDataset(asset: spec)
            let newest = try Self.newestFetch(of: dataset, in: store)
            let age = newest.flatMap(ISO8601.parse).map { now.timeIntervalSince($0) }
            let policy = freshnessPolicy(dataset)
            sources.append(.object([("asset", .string(spec.description)), ("dataset", .string(dataset.description)),
                                    ("newest_fetch", .optional(newest)), ("age_seconds", age.map { .number($0.rounded()) } ?? .null),
                                    ("policy_seconds", .integer(Int64(policy))), ("fresh", .bool(age.map { $0 <= Double(policy) } ?? false))]))
        }
        let disk: [(String, JSONBody)] = [("raw", layout.rawDirectory), ("exports", layout.exportsDirectory)].map { ($0.0 + "_bytes", .integer(Self.bytes(under: $0.1))) }
            + [("silver", layout.silverDatabase), ("gold", layout.goldDatabase), ("run_log", layout.runLogDatabase)].map { name, url in
                (name + "_bytes", .integer(["", "-wal", "-shm"].map { Self.fileSize(url.path + $0) }.reduce(0, +)))
            }
        let lastStatus: String? = { if case .object(let fields) = lastRun, case .string(let s)? = fields.first(where: { $0.0 == "status" })?.1 { return s } else { return nil } }()
        let state = lastRun == .null ? "empty" : (!failing.isEmpty || lastStatus == "failed" || sources.contains { $0["fresh"] == .bool(false) } ? "degraded" : "ok")
        return .object([("status", .string(state)), ("root", .string(layout.root.path)), ("last_run", lastRun),
                        ("running", .optional(launcher.running)), ("failed_checks", .array(failing)), ("stale_assets", .array(stale)),
                        ("sources", .array(sources)), ("disk", .object(disk))])
    }

    /// When the newest snapshot of a dataset was fetched: the latest `fetched_at` in the
    /// metadata of its newest day (the metadata says, not file times, which a copy changes).
    static func newestFetch(of dataset: RawDataset, in store: RawStore) throws -> String? {
        for day in try store.days().reversed() {
            let fetched = try store.snapshots(of: dataset, on: day).compactMap { try? store.meta(of: $0)?.fetchedAt }
            guard !fetched.isEmpty else { continue }
            return fetched.max { (ISO8601.parse($0) ?? .distantPast) < (ISO8601.parse($1) ?? .distantPast) }
        }
        return nil
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func bytes(under folder: URL) -> Int64 {
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total: Int64 = 0
        for case let file as URL in files { total += Int64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
        return total
    }

    /// Starts a materialization (202 with its id). Needs `Authorization: Bearer <token>`.
    /// Body: `{"select": ["silver.coin_prices+"], "refresh": false}`.
    func startRun(body: [UInt8], authorization: String?) throws -> APIResponse {
        try authorize(authorization)
        guard let object = try? JSONValue.parse(Data(body)), case .object(let fields) = object else {
            throw APIError.badParameter("body", "the body is not a JSON object", fix: "send {\"select\": [\"silver.coin_prices+\"], \"refresh\": false}")
        }
        for name in fields.keys where name != "select" && name != "refresh" {
            throw APIError.badParameter(name, "'\(name)' is not a field of a run request", fix: "send select (a list of selections) and refresh (true or false)")
        }
        guard let items = fields["select"]?.array, !items.isEmpty else {
            throw APIError.badParameter("select", "select must be a non-empty list of selections", fix: "e.g. [\"silver.coin_prices+\"] or [\"layer:gold\"]")
        }
        let selection = try items.map { item -> String in
            guard case .string(let text) = item, !text.isEmpty else {
                throw APIError.badParameter("select", "every selection is a non-empty string", fix: "e.g. [\"silver.coin_prices+\"]")
            }
            return text
        }
        var refresh = false
        switch fields["refresh"] {
        case nil, .null?: break
        case .bool(let value)?: refresh = value
        default: throw APIError.badParameter("refresh", "refresh is true or false", fix: "send \"refresh\": false")
        }
        let runID = try launcher.start(selection: selection, refresh: refresh)
        return .json(.object([("run_id", .string(runID)), ("status", .string("started")), ("progress", .string("/api/v1/runs/\(runID)"))]), status: 202)
    }

    /// Checks a bearer token in constant time.
    /// - Throws: `APIError.unauthorized` (401) without the right token, or with no token configured.
    func authorize(_ header: String?) throws {
        guard let token, let header, header.hasPrefix("Bearer ") else { throw APIError.unauthorized }
        let given = Array(header.dropFirst(7).utf8), expected = Array(token.utf8)
        var difference = given.count ^ expected.count
        for i in 0..<max(given.count, expected.count) {
            difference |= Int((i < given.count ? given[i] : 0) ^ (i < expected.count ? expected[i] : 0))
        }
        guard difference == 0 else { throw APIError.unauthorized }
    }
}
