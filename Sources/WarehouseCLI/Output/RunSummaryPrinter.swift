import Foundation
import Warehouse

/// The run summary: per asset what happened, then totals (assets, rows, rejects, HTTP, seconds).
enum RunSummaryPrinter {
    /// Prints a finished run as `materialize` does (the summary and the `Done.` line, or JSON) and
    /// throws `RunFailed` (exit 1) when an asset failed.
    /// - Parameter sharedCache: the root's bucket (`[raw.remote]`), whose hits and uploads get a line of their own.
    static func report(_ summary: RunSummary, layout: WarehouseLayout, sharedCache: String?, json: Bool, quiet: Bool, describing run: String = "run") throws {
        if json {
            print(Format.json(self.json(summary)))
        } else {
            if !quiet { print(text(summary, layout: layout, sharedCache: sharedCache)) }
            print(DoneLine(summary).text)
        }
        if !summary.succeeded {
            let failed = summary.results.filter { $0.status == .failed }.map(\.key.description)
            throw RunFailed(message: "\(run) \(summary.runID) failed: \(failed.joined(separator: ", ")). See `warehouse runs \(summary.runID)` and the messages above.")
        }
    }

    static func text(_ summary: RunSummary, layout: WarehouseLayout, sharedCache: String? = nil) -> String {
        var lines: [String] = []
        let built = summary.count(.success), skipped = summary.count(.skipped)
        let failed = summary.count(.failed), blocked = summary.count(.blocked)
        lines.append("Run \(summary.runID): \(summary.results.count) assets: \(built) built, \(skipped) up to date, \(failed) failed, \(blocked) not run")
        let width = (summary.results.map { $0.key.description.count }.max() ?? 10) + 2
        for result in summary.results {
            var parts = [Format.padded(result.key.description, width), Format.padded(result.status.rawValue, 8)]
            if let outcome = result.outcome {
                parts.append("\(Format.count(outcome.rows)) \(result.key.layer == .bronze ? "files" : "rows")"
                             + (outcome.rowsWritten.flatMap { $0 == outcome.rows ? nil : " (\(Format.count($0)) new)" } ?? ""))
                if outcome.rejects > 0 { parts.append("\(Format.count(outcome.rejects)) rejects") }
                if result.key.layer == .bronze {
                    parts.append("\(outcome.requests) requests, \(outcome.cacheHits) cached"
                                 + (outcome.bucketHits > 0 ? ", \(outcome.bucketHits) from the bucket" : "") + ", \(Format.bytes(outcome.bytesFetched))")
                }
                parts.append(Format.seconds(result.seconds))
            } else if let error = result.error {
                parts.append(error)
            } else {
                parts.append(result.reason)
            }
            lines.append("  " + parts.joined(separator: "  "))
        }
        lines.append("Totals: \(Format.count(summary.rows)) rows, \(Format.count(summary.rejects)) rejects, "
            + "\(Format.count(summary.requests)) HTTP requests (\(Format.count(summary.cacheHits)) cache hits, "
            + "\(Format.bytes(summary.bytesFetched))), \(Format.seconds(summary.seconds))")
        if let bucket = sharedCache {
            lines.append("Shared raw cache \(bucket): \(Format.count(summary.cacheHits)) local hits, \(Format.count(summary.bucketHits)) bucket hits, "
                + "\(Format.count(summary.requests)) API calls, \(Format.count(summary.uploads)) uploaded"
                + (summary.uploadFailures > 0 ? ", \(Format.count(summary.uploadFailures)) uploads failed (the next run uploads them)" : ""))
        }
        if let published = summary.published {
            lines.append("PostgreSQL \(published.target): \(Format.count(published.tables)) tables published (\(Format.count(published.rowsSent)) rows sent), "
                + "\(Format.count(published.unchanged)) unchanged"
                + (published.failures > 0 ? ", \(Format.count(published.failures)) not published (see the warnings; the next run publishes them)" : ""))
        }
        if let lake = summary.lake {
            lines.append("Lake \(lake.folder): \(Format.count(lake.written)) partition files written, \(Format.count(lake.kept)) unchanged, "
                + "\(Format.count(lake.removed)) removed in \(Format.count(lake.tables)) tables; \(Format.count(lake.unchanged)) tables unchanged"
                + (lake.failures > 0 ? ", \(Format.count(lake.failures)) not synced (see the warnings; the next run syncs them)" : ""))
        }
        if !summary.checks.isEmpty {
            lines.append("Checks: \(CheckReport.tally(summary.checks))")
            for result in CheckReport.failures(summary.checks) { lines.append("  " + result.summary) }
        }
        if built == 0 && failed == 0 && blocked == 0 { lines.append("Nothing to do: every selected asset is up to date.") }
        if summary.results.contains(where: { $0.key.layer == .gold && $0.status != .failed && $0.status != .blocked }) {
            lines.append("Marts: \(layout.goldDatabase.path)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ summary: RunSummary) -> [String: Any] {
        [
            "run_id": summary.runID,
            "succeeded": summary.succeeded,
            "seconds": summary.seconds,
            "rows": summary.rows,
            "rejects": summary.rejects,
            "requests": summary.requests,
            "cache_hits": summary.cacheHits,
            "bucket_hits": summary.bucketHits,
            "uploads": summary.uploads,
            "upload_failures": summary.uploadFailures,
            "lake": summary.lake.map { ["folder": $0.folder, "tables": $0.tables, "written": $0.written, "kept": $0.kept, "removed": $0.removed,
                                        "unchanged": $0.unchanged, "failures": $0.failures] as Any } ?? NSNull(),
            "published": summary.published.map { ["target": $0.target, "tables": $0.tables, "rows_sent": $0.rowsSent, "unchanged": $0.unchanged, "failures": $0.failures] as Any } ?? NSNull(),
            "bytes_fetched": summary.bytesFetched,
            "checks": summary.checks.map(CheckReport.json),
            "assets": summary.results.map { result -> [String: Any] in
                var entry: [String: Any] = ["asset": result.key.description, "status": result.status.rawValue,
                                            "reason": result.reason, "seconds": result.seconds]
                if let o = result.outcome {
                    entry["rows"] = o.rows; entry["rejects"] = o.rejects
                    if let written = o.rowsWritten { entry["rows_written"] = written }
                    entry["requests"] = o.requests; entry["cache_hits"] = o.cacheHits; entry["bytes_fetched"] = o.bytesFetched
                    entry["bucket_hits"] = o.bucketHits; entry["uploads"] = o.uploads; entry["upload_failures"] = o.uploadFailures
                }
                if let error = result.error { entry["error"] = error }
                return entry
            },
        ]
    }
}
