import Foundation

/// Runs `produce` over the items on background threads and hands the results to `consume`
/// on the calling thread, in order, with at most `depth` results waiting per producer: parsing
/// overlaps inserting while memory stays bounded. With several producers, producer k takes
/// the items whose index is k modulo their number, each with its own slots, so none can wait
/// on a slot the consumer only frees after an item of another.
public enum OrderedPipeline {
    private final class State<Output>: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [Int: Output] = [:]
        var cancelled = false
    }

    public static func run<Item, Output>(_ items: [Item], depth: Int = 4, producers: Int = 1,
                                         produce: @escaping (Item) -> Output,
                                         consume: (Item, Output) throws -> Void) throws {
        try run(items, depth: depth, producers: producers, produce: { item, _ in produce(item) }, consume: consume)
    }

    /// As `run(_:depth:producers:produce:consume:)`, telling `produce` which producer (0 up to
    /// `producers`) calls it, so each can use resources of its own (a database connection).
    public static func run<Item, Output>(_ items: [Item], depth: Int = 4, producers: Int,
                                         produce: @escaping (Item, _ producer: Int) -> Output,
                                         consume: (Item, Output) throws -> Void) throws {
        let state = State<Output>()
        let count = max(1, producers)
        let slots = (0..<count).map { _ in DispatchSemaphore(value: depth) }
        for k in 0..<count {
            let producer = Thread {
                for index in stride(from: k, to: items.count, by: count) {
                    slots[k].wait()
                    state.condition.lock()
                    let stop = state.cancelled
                    state.condition.unlock()
                    if stop { return }
                    let output = produce(items[index], k)
                    state.condition.lock()
                    state.ready[index] = output
                    state.condition.broadcast()
                    state.condition.unlock()
                }
            }
            producer.stackSize = 4 << 20
            producer.start()
        }
        defer {
            state.condition.lock(); state.cancelled = true; state.condition.unlock()
            for semaphore in slots { for _ in 0..<depth { semaphore.signal() } }
        }
        for (index, item) in items.enumerated() {
            state.condition.lock()
            while state.ready[index] == nil { state.condition.wait() }
            let output = state.ready.removeValue(forKey: index)!
            state.condition.unlock()
            slots[index % count].signal()
            try consume(item, output)
        }
    }
}
