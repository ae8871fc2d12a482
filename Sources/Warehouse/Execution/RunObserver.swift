/// Receives a run's progress; the CLI shows it, tests collect it.
public protocol RunObserver: AnyObject {
    func assetStarted(_ key: AssetKey, reason: StaleReason, index: Int, total: Int)
    func assetProgress(_ key: AssetKey, done: Int, total: Int)
    func assetFinished(_ result: AssetRunResult, index: Int, total: Int)
}

/// An observer that ignores everything.
public final class SilentObserver: RunObserver {
    public init() {}
    public func assetStarted(_ key: AssetKey, reason: StaleReason, index: Int, total: Int) {}
    public func assetProgress(_ key: AssetKey, done: Int, total: Int) {}
    public func assetFinished(_ result: AssetRunResult, index: Int, total: Int) {}
}
