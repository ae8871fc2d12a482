import Foundation
import Warehouse

/// What a finished run tells the alerts: the events it raised and the JSON body every target
/// receives (docs/operations.md documents it).
struct AlertMessage {
    let events: Set<AlertTarget.Event>
    let summary: RunSummary

    init(_ summary: RunSummary) {
        self.summary = summary
        var events = Set<AlertTarget.Event>()
        if !summary.succeeded { events.insert(.runFailed) }
        for check in summary.checks {
            if check.asset.name == "feature_drift" && check.check == "no_drift" {
                if check.status != .pass { events.insert(.drift) }
            } else if check.status == .error {
                events.insert(.checkFailed)
            } else if check.status == .warn {
                events.insert(.checkWarned)
            }
        }
        if summary.results.contains(where: { $0.key.layer == .bronze && $0.status == .failed }) { events.insert(.staleSource) }
        self.events = events
    }

    /// The events a target asked for that this run raised.
    func events(for target: AlertTarget) -> [AlertTarget.Event] {
        AlertTarget.Event.allCases.filter { events.contains($0) && target.events.contains($0) }
    }

    /// The body: the run, its events, the assets that did not build, the checks that did not
    /// pass with a sample of their failing rows, and the dashboard link when one is configured.
    func body(for target: AlertTarget, trigger: RunTrigger, root: URL, at time: Date) -> [String: Any] {
        var body: [String: Any] = [
            "alert": target.name, "events": events(for: target).map(\.rawValue), "run_id": summary.runID,
            "status": summary.succeeded ? "success" : "failed", "trigger": trigger.rendered, "root": root.path,
            "sent_at": ISO8601.format(time),
            "assets": summary.results.filter { $0.status == .failed || $0.status == .blocked }.map { result -> [String: Any] in
                ["asset": result.key.description, "status": result.status.rawValue, "error": result.error ?? result.reason]
            },
            "checks": summary.checks.filter { $0.status != .pass }.map { check -> [String: Any] in
                ["asset": check.asset.description, "check": check.check, "status": check.status.rawValue, "failing_rows": check.failingRows,
                 "total_rows": check.totalRows, "thresholds": check.thresholds, "sample": check.sample]
            },
        ]
        if let dashboard = target.dashboard {
            body["link"] = (dashboard.hasSuffix("/") ? String(dashboard.dropLast()) : dashboard) + "/runs/" + summary.runID
        }
        return body
    }
}
