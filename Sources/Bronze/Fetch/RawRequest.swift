import Foundation
import Warehouse

/// One request whose body becomes one raw snapshot.
public struct RawRequest: Sendable, Hashable {
    public let dataset: RawDataset
    /// The snapshot's file name stem (filesystem-safe).
    public let key: String
    /// Path below the base URL, e.g. `/api/v3/coins/markets`.
    public let path: String
    /// Query parameters in the order they are sent.
    public let params: [QueryParam]
    public let freshness: CachePolicy
    /// For a window of a range endpoint (market_chart/range, Yahoo chart): the parameters that
    /// hold its bounds in Unix seconds. A snapshot of the same entity whose range overlaps the
    /// window covers part of it, whatever its exact bounds (they move with the clock).
    public private(set) var range: RangeParams?

    public init(dataset: RawDataset, key: String, path: String, params: [QueryParam], freshness: CachePolicy) {
        self.dataset = dataset
        self.key = key
        self.path = path
        self.params = params
        self.freshness = freshness
    }

    /// The parameters as the metadata records them.
    public var paramDictionary: [String: String] { Dictionary(params.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) }

    /// The full URL for a base (`EndpointURL`: a base given as the vendor's API root is joined
    /// without repeating the prefix the path already carries).
    public func url(base: String) -> String { EndpointURL.make(base: base, path: path, query: params.map { ($0.name, $0.value) }) }
}

extension RawRequest {
    /// The request as a window of a range endpoint whose bounds are in `from` and `to`.
    func covering(from: String, to: String) -> RawRequest {
        var request = self
        request.range = RangeParams(from: from, to: to)
        return request
    }

    /// The window's bounds, nil for a request that is not a range window.
    var window: (from: Int64, to: Int64)? {
        guard let range, let from = paramDictionary[range.from].flatMap(Int64.init), let to = paramDictionary[range.to].flatMap(Int64.init) else { return nil }
        return (from, to)
    }
}

/// The names of the two parameters that bound a range request.
public struct RangeParams: Sendable, Hashable {
    public let from: String
    public let to: String
}

/// A query parameter.
public struct QueryParam: Sendable, Hashable {
    public let name: String
    public let value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// How long a snapshot answers the same request again.
public enum CachePolicy: Sendable, Hashable {
    /// A snapshot fetched today, at most `maxAge` seconds ago (the current universe, today's
    /// prices): the dataset's freshness (`[freshness]`); a new day always fetches anew.
    case today(maxAge: Int)
    /// Any snapshot, whenever fetched (a closed historical range never changes).
    case forever
    /// A snapshot of the same entity fetched within this many seconds (polls such as tickers,
    /// whose keys carry the poll time: `binance@101500`).
    case recent(seconds: Int)
}
