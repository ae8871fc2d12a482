import Foundation
import HTTPClient
import Warehouse

/// Each source's fetcher, made the first time a build fetches from that source: a run hands
/// this to its builds as a `BuildResources` entry, so declaring, listing and planning the graph
/// never resolves an endpoint (the built-in emulator starts only when a fetch needs it).
public final class SourceFetchers: @unchecked Sendable {
    private let settings: WarehouseSettings
    private let resolve: (String) throws -> SourceEndpoint
    private var fetchers: [String: Fetcher] = [:]
    private let lock = NSLock()

    /// - Parameter resolve: the endpoint of a source (`coingecko`, `kraken`, ...), asked once per source.
    public init(settings: WarehouseSettings, resolve: @escaping (String) throws -> SourceEndpoint) {
        self.settings = settings
        self.resolve = resolve
    }

    /// The fetcher of a source, with the settings' retry policy and concurrency.
    /// - Throws: what resolving the endpoint throws (a malformed base URL, a missing key).
    public func fetcher(for source: String) throws -> Fetcher {
        lock.lock()
        defer { lock.unlock() }
        if let fetcher = fetchers[source] { return fetcher }
        let fetcher = Fetcher(endpoint: try resolve(source), retry: RetryPolicy(baseDelay: settings.retryBaseSeconds),
                              concurrency: settings.fetchConcurrency)
        fetchers[source] = fetcher
        return fetcher
    }
}
