import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bytes a WebSocket runs over: a TCP socket (`ws://`, and the emulator's server side) or
/// TLS over one (`wss://`). Blocking writes; reads wait at most a given time.
protocol ByteStream: AnyObject {
    /// Appends what has arrived to `buffer`, waiting up to `seconds`; false when nothing came.
    /// - Throws: `WebSocketError.connectionLost` when the peer is gone.
    func read(into buffer: inout [UInt8], waiting seconds: Double) throws -> Bool
    /// - Throws: `WebSocketError.connectionLost` when the bytes cannot be sent.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Ends the connection at once, both ways (no close handshake).
    func shutdown()
}

/// A connected TCP socket, owned: closed when the stream goes.
final class TCPStream: ByteStream {
    let socket: Int32

    init(socket: Int32) {
        self.socket = socket
        var yes: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { Glibc.close(socket) }

    func read(into buffer: inout [UInt8], waiting seconds: Double) throws -> Bool {
        guard try Self.wait(socket, for: Int16(POLLIN), seconds: seconds) else { return false }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if n < 0, errno == EINTR || errno == EAGAIN { return false }
        if n <= 0 { throw WebSocketError.connectionLost(n == 0 ? "the peer closed the TCP connection" : String(cString: strerror(errno))) }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var sent = 0
        while sent < bytes.count {
            let n = Glibc.send(socket, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            if n < 0, errno == EINTR { continue }
            if n <= 0 { throw WebSocketError.connectionLost(String(cString: strerror(errno))) }
            sent += n
        }
    }

    func shutdown() { Glibc.shutdown(socket, Int32(SHUT_RDWR)) }

    /// Waits until `socket` is ready for `events`; false when `seconds` passed first (or a signal came).
    static func wait(_ socket: Int32, for events: Int16, seconds: Double) throws -> Bool {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        let ready = poll(&descriptor, 1, Int32(min(max(0, seconds) * 1000, 86_400_000).rounded(.up)))
        if ready == 0 { return false }
        if ready < 0 { if errno == EINTR { return false }; throw WebSocketError.connectionLost(String(cString: strerror(errno))) }
        return true
    }
}
