import Foundation
import Warehouse
import XCTest

/// The producer/consumer pipeline behind silver's parsing and gold's feature pass.
final class OrderedPipelineTests: XCTestCase {
    /// A per-producer resource that records which thread made and released it.
    final class Worker: @unchecked Sendable {
        let madeOn = Thread.current
        let released: (Thread) -> Void
        init(released: @escaping (Thread) -> Void) { self.released = released }
        deinit { released(Thread.current) }
    }

    func testResultsArriveInOrderAndEachWorkerLivesOnItsProducersThread() throws {
        let lock = NSLock()
        var made: [ObjectIdentifier] = []
        var releasedOnItsThread = 0
        var consumed: [Int] = []
        try OrderedPipeline.run(Array(0..<200), depth: 2, producers: 3, makeWorker: { () -> Worker in
            let worker = Worker { thread in
                lock.lock(); defer { lock.unlock() }
                if !thread.isMainThread { releasedOnItsThread += 1 }
            }
            lock.lock(); made.append(ObjectIdentifier(worker)); lock.unlock()
            return worker
        }, produce: { worker, item in
            XCTAssertTrue(worker.madeOn === Thread.current, "a worker is used on the thread that made it")
            if item % 7 == 0 { usleep(200) }
            return item * 2
        }, consume: { item, output in
            XCTAssertEqual(output, item * 2)
            consumed.append(item)
        })
        XCTAssertEqual(consumed, Array(0..<200))
        XCTAssertEqual(made.count, 3, "one worker per producer")
        XCTAssertEqual(releasedOnItsThread, 3, "every worker was released by the time run returned, off the main thread")
    }

    func testAThrowingConsumerReturnsOnlyOnceEveryProducerStopped() throws {
        let lock = NSLock()
        var producing = 0
        var maxAfterReturn = 0
        struct Stop: Error {}
        XCTAssertThrowsError(try OrderedPipeline.run(Array(0..<50), producers: 2, makeWorker: {}, produce: { _, item -> Int in
            lock.lock(); producing += 1; lock.unlock()
            usleep(20_000)
            lock.lock(); producing -= 1; lock.unlock()
            return item
        }, consume: { item, _ in
            if item == 1 { throw Stop() }
        }))
        lock.lock(); maxAfterReturn = producing; lock.unlock()
        XCTAssertEqual(maxAfterReturn, 0, "no producer is still at work when run has thrown")
    }
}
