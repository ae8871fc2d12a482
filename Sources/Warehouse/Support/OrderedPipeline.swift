import Foundation

/// Runs `produce` over the items on a background thread and hands the results to `consume`
/// on the calling thread, in order, with at most `depth` results waiting: parsing overlaps
/// inserting while memory stays bounded.
public enum OrderedPipeline {
    private final class State<Output>: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [Int: Output] = [:]
        var cancelled = false
    }

    public static func run<Item, Output>(_ items: [Item], depth: Int = 4,
                                         produce: @escaping (Item) -> Output,
                                         consume: (Item, Output) throws -> Void) throws {
        let state = State<Output>()
        let slots = DispatchSemaphore(value: depth)
        let producer = Thread {
            for (index, item) in items.enumerated() {
                slots.wait()
                state.condition.lock()
                let stop = state.cancelled
                state.condition.unlock()
                if stop { return }
                let output = produce(item)
                state.condition.lock()
                state.ready[index] = output
                state.condition.signal()
                state.condition.unlock()
            }
        }
        producer.stackSize = 4 << 20
        producer.start()
        defer {
            state.condition.lock(); state.cancelled = true; state.condition.unlock()
            for _ in 0..<depth { slots.signal() }
        }
        for (index, item) in items.enumerated() {
            state.condition.lock()
            while state.ready[index] == nil { state.condition.wait() }
            let output = state.ready.removeValue(forKey: index)!
            state.condition.unlock()
            slots.signal()
            try consume(item, output)
        }
    }
}
