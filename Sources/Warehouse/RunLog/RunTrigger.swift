/// What started a run, kept in the run log so scheduled, manual and retried runs are told apart.
public enum RunTrigger: Sendable, Equatable {
    /// `warehouse materialize` from a shell or a script.
    case manual
    /// `POST /api/v1/runs`.
    case api
    /// A job of `warehouse schedule run`.
    case schedule(String)
    /// `warehouse retry RUN_ID`.
    case retry(of: String)

    /// As the `runs.trigger` column holds it: `manual`, `api`, `schedule:NAME`, `retry:RUN_ID`.
    public var rendered: String {
        switch self {
        case .manual: return "manual"
        case .api: return "api"
        case .schedule(let name): return "schedule:\(name)"
        case .retry(let run): return "retry:\(run)"
        }
    }
}
