import Foundation

/// Runs `produce` over the items on background threads and hands the results to `consume`
/// on the calling thread, in order, with at most `depth` results waiting per producer: parsing
/// overlaps inserting while memory stays bounded. With several producers, producer k takes
/// the items whose index is k modulo their number, each with its own slots, so none can wait
/// on a slot the consumer only frees after an item of another. `run` returns (or throws) only
/// once every producer has stopped.
public enum OrderedPipeline {
    private final class State<Output>: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [Int: Output] = [:]
        var cancelled = false
    }

    public static func run<Item, Output>(_ items: [Item], depth: Int = 4, producers: Int = 1,
                                         produce: @escaping (Item) -> Output,
                                         consume: (Item, Output) throws -> Void) throws {
        try run(items, depth: depth, producers: producers, makeWorker: {}, produce: { _, item in produce(item) }, consume: consume)
    }

    /// As `run(_:depth:producers:produce:consume:)`, with state of each producer's own: made by
    /// `makeWorker` on the producer's thread before its first item and released there after its
    /// last, so a resource that must stay on one thread (a database connection) never leaves it.
    public static func run<Item, Output, Worker>(_ items: [Item], depth: Int = 4, producers: Int,
                                                 makeWorker: @escaping () -> Worker,
                                                 produce: @escaping (inout Worker, Item) -> Output,
                                                 consume: (Item, Output) throws -> Void) throws {
        let state = State<Output>()
        let count = max(1, producers)
        let slots = (0..<count).map { _ in DispatchSemaphore(value: depth) }
        let stopped = DispatchGroup()
        for k in 0..<count {
            stopped.enter()
            let producer = Thread {
                do {
                    // Released at the end of this scope at the latest: on this thread, before `stopped` hears of it.
                    var worker = makeWorker()
                    for index in stride(from: k, to: items.count, by: count) {
                        slots[k].wait()
                        state.condition.lock()
                        let stop = state.cancelled
                        state.condition.unlock()
                        if stop { break }
                        let output = produce(&worker, items[index])
                        state.condition.lock()
                        state.ready[index] = output
                        state.condition.broadcast()
                        state.condition.unlock()
                    }
                }
                stopped.leave()
            }
            producer.stackSize = 4 << 20
            producer.start()
        }
        defer {
            state.condition.lock(); state.cancelled = true; state.condition.unlock()
            for semaphore in slots { for _ in 0..<depth { semaphore.signal() } }
            stopped.wait()
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
