import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A message as the application sees it: fragments joined, control frames answered.
public enum WebSocketMessage: Sendable, Equatable {
    case text([UInt8])
    case binary([UInt8])
    /// The peer's close frame: its status code (nil when it sent none) and reason.
    case close(code: UInt16?, reason: String)
}

/// One open WebSocket over a connected socket (TLS or not), either end: a client masks what it sends.
/// Blocking, for one thread at a time; `receive(timeout:)` returns nil when nothing came in
/// time, so a caller can notice a silent stall without a second thread.
public final class WebSocketConnection: @unchecked Sendable {
    public enum Role: Sendable { case client, server }

    private let stream: ByteStream
    private let role: Role
    private var buffer: [UInt8]
    private var start = 0
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?
    private var closed = false
    private let sendLock = NSLock()
    /// The largest message accepted (frames and fragments together).
    public let maxMessage: Int

    /// Takes ownership of `socket`; `leftover` is what was read past the handshake.
    public convenience init(socket: Int32, role: Role, leftover: [UInt8] = [], maxMessage: Int = 16 << 20) {
        self.init(stream: TCPStream(socket: socket), role: role, leftover: leftover, maxMessage: maxMessage)
    }

    init(stream: ByteStream, role: Role, leftover: [UInt8] = [], maxMessage: Int = 16 << 20) {
        self.stream = stream
        self.role = role
        self.buffer = leftover
        self.maxMessage = maxMessage
    }

    /// Sends a text message in one frame.
    /// - Throws: `WebSocketError.connectionLost` when the socket is gone.
    public func send(text: String) throws { try send(WebSocketFrame(opcode: .text, payload: Array(text.utf8))) }

    /// Sends a text message given as UTF-8 bytes, in one frame.
    public func send(textBytes: [UInt8]) throws { try send(WebSocketFrame(opcode: .text, payload: textBytes)) }

    /// Sends a close frame with a status code and reason (RFC 6455 §5.5.1); the peer answers with its own.
    public func sendClose(code: UInt16, reason: String) throws {
        let payload = [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8.prefix(123))
        try send(WebSocketFrame(opcode: .close, payload: payload))
    }

    /// Sends a ping; the peer answers with a pong carrying the same bytes.
    public func sendPing(_ payload: [UInt8] = []) throws { try send(WebSocketFrame(opcode: .ping, payload: payload)) }

    /// Sends one frame, masked when this end is the client.
    public func send(_ frame: WebSocketFrame) throws {
        var mask: [UInt8]?
        if role == .client {
            var generator = SystemRandomNumberGenerator()
            mask = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        let bytes = frame.encoded(mask: mask)
        sendLock.lock(); defer { sendLock.unlock() }
        try writeAll(bytes)
    }

    /// Writes raw bytes to the connection (a test sends a malformed frame with it).
    public func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try stream.write($0) }
    }

    /// The next message, waiting at most `timeout` seconds; nil when none came in time.
    /// Pings are answered and pongs dropped on the way.
    /// - Throws: `WebSocketError.connectionLost` when the TCP connection ends without a close
    ///   frame, `.protocolViolation` when the peer breaks the framing.
    public func receive(timeout: Double) throws -> WebSocketMessage? {
        let deadline = Self.monotonicSeconds() + timeout
        while true {
            while let (frame, length) = try WebSocketFrame.decode(buffer, from: start, maxPayload: maxMessage) {
                start += length
                if let message = try handle(frame) { compact(); return message }
            }
            compact()
            // With no time left the socket is still polled once, without waiting.
            guard try fill(waiting: max(0, deadline - Self.monotonicSeconds())) else { return nil }
        }
    }

    /// Closes the socket at once (no close frame): what a crashed peer looks like.
    public func abort() { stream.shutdown() }

    private func handle(_ frame: WebSocketFrame) throws -> WebSocketMessage? {
        switch frame.opcode {
        case .ping:
            try send(WebSocketFrame(opcode: .pong, payload: frame.payload))
            return nil
        case .pong:
            return nil
        case .close:
            let code = frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : nil
            let reason = frame.payload.count > 2 ? String(decoding: frame.payload[2...], as: UTF8.self) : ""
            if !closed {
                closed = true
                try? send(WebSocketFrame(opcode: .close, payload: Array(frame.payload.prefix(2))))
            }
            return .close(code: code, reason: reason)
        case .text, .binary:
            guard fragmentOpcode == nil else { throw WebSocketError.protocolViolation("a new message began before the fragmented one ended") }
            if frame.fin { return frame.opcode == .text ? .text(frame.payload) : .binary(frame.payload) }
            fragmentOpcode = frame.opcode
            fragments = frame.payload
            return nil
        case .continuation:
            guard let opcode = fragmentOpcode else { throw WebSocketError.protocolViolation("a continuation frame with no message to continue") }
            guard fragments.count + frame.payload.count <= maxMessage else {
                throw WebSocketError.protocolViolation("a fragmented message above the \(maxMessage)-byte limit")
            }
            fragments += frame.payload
            guard frame.fin else { return nil }
            let message = fragments
            fragments = []
            fragmentOpcode = nil
            return opcode == .text ? .text(message) : .binary(message)
        }
    }

    private func compact() {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 16 {
            buffer.removeFirst(start)
            start = 0
        }
    }

    /// Reads what the connection has, waiting up to `seconds`; false on timeout.
    private func fill(waiting seconds: Double) throws -> Bool {
        try stream.read(into: &buffer, waiting: seconds)
    }

    /// Seconds on a clock that never jumps: for deadlines and inter-arrival times.
    public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
