import WebSocket
import XCTest

final class WebSocketFrameTests: XCTestCase {
    func testAcceptKeyIsTheRFCExample() {
        // RFC 6455 section 1.3.
        XCTAssertEqual(WebSocketHandshake.accept(forKey: "dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    func testFramesRoundTripAtEveryLengthEncodingMaskedAndNot() throws {
        for length in [0, 1, 125, 126, 127, 65_535, 65_536, 200_000] {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            for mask in [nil, [0x12, 0x34, 0x56, 0x78] as [UInt8]] {
                let frame = WebSocketFrame(opcode: .binary, payload: payload)
                let bytes = frame.encoded(mask: mask)
                let decoded = try XCTUnwrap(try WebSocketFrame.decode(bytes, from: 0, maxPayload: 1 << 20))
                XCTAssertEqual(decoded.frame, frame, "length \(length), masked \(mask != nil)")
                XCTAssertEqual(decoded.length, bytes.count)
                // Any prefix is "need more bytes", never a wrong frame.
                XCTAssertNil(try WebSocketFrame.decode(Array(bytes.dropLast()), from: 0, maxPayload: 1 << 20))
            }
        }
    }

    func testTheRFCsMaskedHelloDecodes() throws {
        // RFC 6455 section 5.7: a masked "Hello" from a client.
        let bytes: [UInt8] = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        let decoded = try XCTUnwrap(try WebSocketFrame.decode(bytes, from: 0, maxPayload: 100))
        XCTAssertEqual(String(decoding: decoded.frame.payload, as: UTF8.self), "Hello")
        XCTAssertEqual(decoded.frame.opcode, .text)
    }

    func testProtocolViolationsAreTypedErrors() {
        let cases: [([UInt8], String)] = [
            ([0xC1, 0x00], "reserved bits"),
            ([0x83, 0x00], "unknown opcode"),
            ([0x09, 0x00], "fragmented"),                          // ping without FIN
            ([0x89, 0x7E, 0x00, 0xC8] + Array(repeating: 0, count: 200), "longer than 125"),
            ([0x82, 0x7F, 0, 0, 0, 1, 0, 0, 0, 0], "limit"),        // 4 GiB announced
        ]
        for (bytes, expected) in cases {
            XCTAssertThrowsError(try WebSocketFrame.decode(bytes, from: 0, maxPayload: 1 << 20)) { error in
                guard case WebSocketError.protocolViolation(let reason) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(reason.contains(expected), reason)
            }
        }
    }

    func testURLsParseWithTheirSchemesDefaultPorts() throws {
        let endpoint = try WebSocketClient.Endpoint("ws://127.0.0.1:9443/stream?streams=btcusdt@ticker")
        XCTAssertEqual(endpoint.host, "127.0.0.1")
        XCTAssertEqual(endpoint.port, 9443)
        XCTAssertEqual(endpoint.target, "/stream?streams=btcusdt@ticker")
        XCTAssertFalse(endpoint.secure)
        XCTAssertEqual(try WebSocketClient.Endpoint("ws://localhost").target, "/")
        XCTAssertEqual(try WebSocketClient.Endpoint("ws://localhost").port, 80)
        let kraken = try WebSocketClient.Endpoint("wss://ws.kraken.com/v2")
        XCTAssertTrue(kraken.secure)
        XCTAssertEqual(kraken.port, 443)
        XCTAssertEqual(kraken.host, "ws.kraken.com")
        XCTAssertEqual(kraken.target, "/v2")
        for bad in ["http://x", "ws://", "wss://", "ws://host:0", "ws://host:99999", "ws://a:b:c"] {
            XCTAssertThrowsError(try WebSocketClient.Endpoint(bad), bad) { error in
                XCTAssertEqual(error as? WebSocketError, .badURL(bad))
            }
        }
    }

    func testConnectingToNothingFailsWithTheURL() throws {
        XCTAssertThrowsError(try WebSocketClient.connect("ws://127.0.0.1:1/", timeout: 2)) { error in
            guard case WebSocketError.connectFailed(let url, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(url, "ws://127.0.0.1:1/")
        }
    }
}
