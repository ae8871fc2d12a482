import Foundation

/// A value that is expensive to compute (a plan over every raw folder, the health of a root)
/// and may be a moment old: computed once, then answered from memory, refreshed in the
/// background when older than `lifetime`, so no request waits for a refresh but the first.
final class RefreshingValue<Value>: @unchecked Sendable {
    private let lifetime: TimeInterval
    private let compute: () throws -> Value
    private var value: (at: Date, value: Value)?
    private var refreshing = false
    private let lock = NSLock()

    init(lifetime: TimeInterval, compute: @escaping () throws -> Value) {
        self.lifetime = lifetime
        self.compute = compute
    }

    func get() throws -> Value {
        lock.lock()
        if let current = value {
            if Date().timeIntervalSince(current.at) >= lifetime, !refreshing {
                refreshing = true
                Thread { [self] in
                    let fresh = try? compute()
                    lock.lock()
                    if let fresh { value = (Date(), fresh) }
                    refreshing = false
                    lock.unlock()
                }.start()
            }
            lock.unlock()
            return current.value
        }
        lock.unlock()
        let fresh = try compute()
        lock.lock()
        value = (Date(), fresh)
        lock.unlock()
        return fresh
    }
}
