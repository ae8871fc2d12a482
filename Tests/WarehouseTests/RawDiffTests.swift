import Foundation
@testable import Warehouse
import XCTest

final class RawDiffTests: XCTestCase {
    private func json(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    private func lines(_ diff: RawDiff) -> [String] {
        diff.entries.map { entry in
            switch entry.change {
            case .added(let v): return "+ \(entry.path) \(v.compactText)"
            case .removed(let v): return "- \(entry.path) \(v.compactText)"
            case .changed(let a, let b): return "~ \(entry.path) \(a.compactText) -> \(b.compactText)"
            }
        }
    }

    func testObjectsInArraysAreMatchedByIdNotPosition() throws {
        let old = try json(#"[{"id":"bitcoin","price":100,"rank":1},{"id":"ethereum","price":10,"rank":2},{"id":"dead","price":1,"rank":3}]"#)
        let new = try json(#"[{"id":"ethereum","price":11,"rank":1},{"id":"bitcoin","price":100,"rank":2},{"id":"fresh","price":2,"rank":3}]"#)
        XCTAssertEqual(lines(RawDiff(old, new)), [
            "~ $[id=bitcoin].rank 1 -> 2",
            "~ $[id=ethereum].price 10 -> 11",
            "~ $[id=ethereum].rank 2 -> 1",
            "- $[id=dead] {\"id\":\"dead\",\"price\":1,\"rank\":3}",
            "+ $[id=fresh] {\"id\":\"fresh\",\"price\":2,\"rank\":3}",
        ])
    }

    func testTimestampPairsAreMatchedByTimestamp() throws {
        let old = try json(#"{"prices":[[1000,1.5],[2000,2.5]],"total_volumes":[[1000,7]]}"#)
        let new = try json(#"{"prices":[[2000,2.75],[3000,3.5]],"total_volumes":[[1000,7]]}"#)
        XCTAssertEqual(lines(RawDiff(old, new)), [
            "- $.prices[ts=1000] [1000,1.5]",
            "~ $.prices[ts=2000][1] 2.5 -> 2.75",
            "+ $.prices[ts=3000] [3000,3.5]",
        ])
    }

    func testColumnsBesideATimestampArrayAreMatchedByThatTimestamp() throws {
        let old = try json(#"{"timestamp":[10,20,30],"indicators":{"quote":[{"close":[1,2,3]}]}}"#)
        let new = try json(#"{"timestamp":[20,30,40],"indicators":{"quote":[{"close":[2,3.5,4]}]}}"#)
        XCTAssertEqual(lines(RawDiff(old, new)), [
            "- $.indicators.quote[0].close[t=10] 1",
            "~ $.indicators.quote[0].close[t=30] 3 -> 3.5",
            "+ $.indicators.quote[0].close[t=40] 4",
            "- $.timestamp[t=10] 10",
            "+ $.timestamp[t=40] 40",
        ])
    }

    func testOtherArraysArePositionalAndEqualBodiesHaveNoDifference() throws {
        XCTAssertEqual(lines(RawDiff(try json(#"{"a":[1,2],"b":null}"#), try json(#"{"a":[1,3,4],"c":true}"#))), [
            "~ $.a[1] 2 -> 3", "+ $.a[2] 4", "- $.b null", "+ $.c true",
        ])
        let body = try json(#"{"x":[{"id":"a","v":[1,2]}],"s":"text \"quoted\""}"#)
        XCTAssertEqual(RawDiff(body, body).entries, [])
    }
}
