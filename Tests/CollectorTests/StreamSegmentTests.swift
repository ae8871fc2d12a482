import Foundation
import Warehouse
import XCTest

final class StreamSegmentTests: XCTestCase {
    func testMessagesSurviveTheLineFormatByteForByte() throws {
        let messages = [#"{"stream":"btcusdt@ticker","data":{"s":"BTCUSDT"}}"#, "{\n  \"channel\": \"heartbeat\"\n}",
                        "quote \" backslash \\ tab \t nul \u{0} bell \u{7} é 日本 🚀", "", "half {\"a\":"]
        var out: [UInt8] = []
        for (i, message) in messages.enumerated() {
            StreamSegment.appendMessage(Array(message.utf8), receivedMillis: 1_764_720_000_000 + Int64(i), monotonicNanos: 42 + Int64(i), connection: 3, to: &out)
        }
        StreamSegment.appendEvent("closed", code: 1001, reason: "going \"away\"", detail: "by_venue", receivedMillis: 1_764_720_000_100, monotonicNanos: 99, connection: 3, to: &out)
        var lines: [StreamSegment.Line] = []
        try StreamSegment.forEachLine(in: Data(out)) { bytes, number in
            XCTAssertFalse(bytes.contains(0x0A))
            lines.append(try StreamSegment.parse(bytes))
            XCTAssertEqual(lines.count, number)
        }
        XCTAssertEqual(lines.count, messages.count + 1)
        for (i, message) in messages.enumerated() {
            XCTAssertEqual(lines[i], StreamSegment.Line(receivedMillis: 1_764_720_000_000 + Int64(i), monotonicNanos: 42 + Int64(i), connection: 3, content: .message(message)))
        }
        XCTAssertEqual(lines.last?.content, .event(name: "closed", code: 1001, reason: "going \"away\"", detail: "by_venue"))
        // Every line is JSON another tool reads (Python's json module as the judge).
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertEqual(text.split(separator: "\n").count, messages.count + 1)
        for line in text.split(separator: "\n") {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)))
        }
    }

    func testLinesFromOtherToolsInAnyKeyOrderParse() throws {
        let line = #"{"message":"{}","extra":[1,2],"connection":2,"received_ms":1764720000000}"#
        let parsed = try Array(line.utf8).withUnsafeBytes { try StreamSegment.parse($0) }
        XCTAssertEqual(parsed, StreamSegment.Line(receivedMillis: 1_764_720_000_000, monotonicNanos: nil, connection: 2, content: .message("{}")))
    }

    func testBadLinesSayWhatIsMissing() {
        for (line, expected) in [(#"{"message":"x"}"#, "received_ms"), (#"{"received_ms":1}"#, "message or event"),
                                 (#"{"received_ms":1.5,"message":"x"}"#, "whole Unix time"), (#"{"received_ms":1e30,"message":"x"}"#, "between 1970 and 2200"),
                                 (#"{"received_ms":-5,"event":"closed"}"#, "between 1970 and 2200"), (#"{"received_ms":1,"connection":1e30,"event":"x"}"#, "signed 64-bit"), (#"{"received_ms":1,"message":"x""#, "expected"),
                                 ("not json", "expected")] {
            XCTAssertThrowsError(try Array(line.utf8).withUnsafeBytes { try StreamSegment.parse($0) }, line) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(line): \(error)")
            }
        }
    }

    func testAPartialLastLineIsPassedToTheReader() {
        var seen: [String] = []
        StreamSegment.forEachLine(in: Data("a\nb\npartial".utf8)) { bytes, _ in seen.append(String(decoding: bytes, as: UTF8.self)) }
        XCTAssertEqual(seen, ["a", "b", "partial"])
    }
}
