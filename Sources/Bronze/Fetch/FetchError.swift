/// Why a request gave no snapshot. `isTransient` is what the retry policy asks.
public enum FetchError: Error, CustomStringConvertible {
    /// A status the API will not change its mind about (400, 401, 404...).
    case rejected(url: String, status: Int, body: String)
    /// Still failing after every attempt.
    case exhausted(url: String, attempts: Int, last: String)

    public var description: String {
        switch self {
        case .rejected(let url, let status, let body):
            return "\(url) answered HTTP \(status): \(body.prefix(200)). To fix this, check the request (ids, parameters, API key)."
        case .exhausted(let url, let attempts, let last):
            return "\(url) failed \(attempts) times, last: \(last). To fix this, rerun later; snapshots already fetched are kept."
        }
    }
}

/// Some requests of an asset failed; the rest were stored.
public struct FetchFailures: Error, CustomStringConvertible {
    public let dataset: String
    public let failures: [(key: String, error: String)]
    public let stored: Int

    public var description: String {
        let shown = failures.prefix(3).map { "\($0.key): \($0.error)" }.joined(separator: "; ")
        let more = failures.count > 3 ? " (and \(failures.count - 3) more)" : ""
        return "\(failures.count) request(s) for \(dataset) failed, \(stored) stored: \(shown)\(more). To fix this, rerun: only the missing snapshots are fetched."
    }
}
