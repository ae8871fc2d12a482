/// What a batch of requests cost.
public struct FetchStats: Sendable {
    public var requests = 0
    public var cacheHits = 0
    public var bytes = 0
    public var stored = 0
    public init() {}
}
