import Foundation
import Warehouse

/// What `GET /metrics` reports, in Prometheus' text format: the API's own requests (count by
/// route and status, latency histogram by route) and, read from the run log when scraped, the
/// runs (durations, rows, rejects, requests to sources) and check outcomes.
final class ServerMetrics: @unchecked Sendable {
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    private var requests: [String: Int] = [:]          // "route|status"
    private var latency: [String: [Int]] = [:]         // route -> cumulative counts per bucket (+Inf last)
    private var latencySum: [String: Double] = [:]
    private let lock = NSLock()

    /// Counts one answered request.
    func record(route: String, status: Int, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests["\(route)|\(status)", default: 0] += 1
        var counts = latency[route] ?? Array(repeating: 0, count: Self.buckets.count + 1)
        for (i, bound) in Self.buckets.enumerated() where seconds <= bound { counts[i] += 1 }
        counts[Self.buckets.count] += 1
        latency[route] = counts
        latencySum[route, default: 0] += seconds
    }

    /// The exposition text; `runLog` is read for the run and check figures when it exists.
    func render(runLog: Database?) throws -> String {
        var lines: [String] = []
        func label(_ value: String) -> String { value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }
        lock.lock()
        lines.append("# HELP warehouse_api_requests_total API requests answered, by route and status.")
        lines.append("# TYPE warehouse_api_requests_total counter")
        for (key, count) in requests.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1)
            lines.append("warehouse_api_requests_total{route=\"\(label(String(parts[0])))\",status=\"\(parts[1])\"} \(count)")
        }
        lines.append("# HELP warehouse_api_request_duration_seconds API request latency, by route.")
        lines.append("# TYPE warehouse_api_request_duration_seconds histogram")
        for (route, counts) in latency.sorted(by: { $0.key < $1.key }) {
            for (i, bound) in Self.buckets.enumerated() {
                lines.append("warehouse_api_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"\(bound)\"} \(counts[i])")
            }
            lines.append("warehouse_api_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"+Inf\"} \(counts[Self.buckets.count])")
            lines.append("warehouse_api_request_duration_seconds_sum{route=\"\(label(route))\"} \(latencySum[route] ?? 0)")
            lines.append("warehouse_api_request_duration_seconds_count{route=\"\(label(route))\"} \(counts[Self.buckets.count])")
        }
        lock.unlock()
        if let runLog {
            lines.append("# HELP warehouse_runs_total Runs in the run log, by status.")
            lines.append("# TYPE warehouse_runs_total counter")
            for row in try runLog.rows("SELECT status, count(*) FROM runs GROUP BY status ORDER BY status") {
                lines.append("warehouse_runs_total{status=\"\(label(row[0].rendered))\"} \(row[1].rendered)")
            }
            if let last = try RunLog.runs(in: runLog, limit: 1).first {
                for (metric, column, help) in [("warehouse_last_run_duration_seconds", "seconds", "Wall time of the last run."),
                                               ("warehouse_last_run_rows", "rows", "Rows the last run's assets hold."),
                                               ("warehouse_last_run_rejects", "rejects", "Rows the last run set aside in _rejects."),
                                               ("warehouse_last_run_source_requests", "requests", "HTTP requests the last run made to the sources."),
                                               ("warehouse_last_run_checks_failed", "checks_failed", "Error-level checks the last run failed.")] {
                    lines.append("# HELP \(metric) \(help)")
                    lines.append("# TYPE \(metric) gauge")
                    lines.append("\(metric) \(last[column]?.double ?? 0)")
                }
            }
            lines.append("# HELP warehouse_source_requests_total HTTP requests made to the sources, over every run.")
            lines.append("# TYPE warehouse_source_requests_total counter")
            lines.append("warehouse_source_requests_total \(try runLog.scalar("SELECT coalesce(sum(requests), 0) FROM runs")?.rendered ?? "0")")
            lines.append("# HELP warehouse_check_results Latest outcome of every check, counted by status.")
            lines.append("# TYPE warehouse_check_results gauge")
            var tally: [String: Int] = ["pass": 0, "warn": 0, "error": 0]
            for check in try RunLog.latestChecks(in: runLog) { tally[check["status"]?.string ?? "pass", default: 0] += 1 }
            for (status, count) in tally.sorted(by: { $0.key < $1.key }) { lines.append("warehouse_check_results{status=\"\(status)\"} \(count)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
