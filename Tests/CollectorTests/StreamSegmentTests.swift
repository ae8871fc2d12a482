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

    /// The reader that leaves a message undecoded (silver's fast path) and decodes it into a
    /// buffer of its own gets the same bytes as the one that makes a String, escapes of every
    /// kind included (another tool may write \u escapes and surrogate pairs).
    func testAMessageDecodedIntoABufferIsTheMessageAStringHolds() throws {
        let lines = [#"{"received_ms":1764720000000,"message":"plain, no escape"}"#,
                     #"{"received_ms":1764720000000,"message":"{\"q\":\"\\\" \/ \b\f\n\r\t\u00e9 \ud83d\ude80\"}"}"#,
                     #"{"received_ms":1764720000000,"message":"a lone \ud800 surrogate"}"#,
                     #"{"received_ms":1764720000000,"poll":"/time","message":""}"#]
        for text in lines {
            try Array(text.utf8).withUnsafeBytes { bytes in
                let whole = try StreamSegment.parse(bytes)
                var raw: (raw: UnsafeRawBufferPointer, escaped: Bool)?
                let undecoded = try StreamSegment.parse(bytes, message: &raw)
                let span = try XCTUnwrap(raw)
                var decoded: [UInt8] = []
                if span.escaped { try JSONCursor(bytes).decodeEscaped(span.raw, into: &decoded) } else { decoded = Array(span.raw) }
                guard case .message(let expected) = whole.content else { return XCTFail(text) }
                XCTAssertEqual(String(decoding: decoded, as: UTF8.self), expected, text)
                XCTAssertEqual(undecoded.content, .message(""))
                XCTAssertEqual(undecoded.poll, whole.poll)
                XCTAssertEqual(undecoded.receivedMillis, whole.receivedMillis)
            }
        }
        // Foundation's JSON reader agrees on the escapes.
        let json = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        let parsed = try Array(lines[1].utf8).withUnsafeBytes { try StreamSegment.parse($0) }
        XCTAssertEqual(parsed.content, .message(try XCTUnwrap(json?["message"] as? String)))
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
