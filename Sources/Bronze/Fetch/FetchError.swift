import Warehouse

/// Why a request gave no snapshot. `isTransient` is what the retry policy asks.
public enum FetchError: WarehouseError {
    /// A status the API will not change its mind about (400, 401, 404...).
    case rejected(url: String, status: Int, body: String)
    /// Still failing after every attempt.
    case exhausted(url: String, attempts: Int, last: String)
    /// Nothing answers at the address (connection refused, unknown host): retried briefly only,
    /// since waiting will not fix an address.
    case unreachable(url: String, attempts: Int, reason: String, variable: String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .rejected(let url, let status, let body):
            return ("\(url) answered HTTP \(status): \(body.prefix(200))", "check the request (ids, parameters, API key)")
        case .exhausted(let url, let attempts, let last):
            return ("\(url) failed \(attempts) times, last: \(last)", "rerun later; snapshots already fetched are kept")
        case .unreachable(let url, let attempts, let reason, let variable):
            return ("\(url) cannot be reached (\(reason), \(attempts) attempts)",
                    "check that \(variable) names a server that is up, or unset it to use the built-in emulator")
        }
    }

    public var exitStatus: WarehouseExitStatus { .failed }
}

/// Some requests of an asset failed; the rest were stored.
public struct FetchFailures: WarehouseError {
    public let dataset: String
    public let failures: [(key: String, error: Error)]
    public let stored: Int

    public var parts: (problem: String, fix: String?) {
        let shown = failures.prefix(3).map { "\($0.key): \(Self.problem(of: $0.error))" }.joined(separator: "; ")
        let more = failures.count > 3 ? " (and \(failures.count - 3) more)" : ""
        // One fix: the one every failure shares, else the general one.
        let fixes = Set(failures.map { ($0.error as? WarehouseError)?.fix ?? "" })
        let fix = fixes.count == 1 && !fixes.first!.isEmpty ? fixes.first! + "; only the missing snapshots are fetched again"
                                                            : "rerun: only the missing snapshots are fetched"
        return ("\(failures.count) request(s) for \(dataset) failed, \(stored) stored: \(shown)\(more)", fix)
    }

    public var exitStatus: WarehouseExitStatus { .failed }

    static func problem(of error: Error) -> String {
        (error as? WarehouseError)?.problem ?? "\(error)"
    }
}
