import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens client WebSockets (`ws://`, and `wss://` over TLS) over TCP: connect, TLS handshake
/// with a verified certificate where asked, HTTP/1.1 upgrade, verified accept key.
public enum WebSocketClient {
    /// Where a `ws://host:port/path?query` (or `wss://`) URL points.
    public struct Endpoint: Sendable, Equatable {
        public let host: String
        public let port: UInt16
        /// `wss://`: TLS under the WebSocket.
        public let secure: Bool
        /// Path and query, at least `/`.
        public let target: String

        /// - Throws: `WebSocketError.badURL`.
        public init(_ url: String) throws {
            secure = url.lowercased().hasPrefix("wss://")
            guard secure || url.lowercased().hasPrefix("ws://") else { throw WebSocketError.badURL(url) }
            let rest = url.dropFirst(secure ? 6 : 5)
            let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<slash]
            var target = String(rest[slash...])
            if target.isEmpty { target = "/" } else if target.hasPrefix("?") { target = "/" + target }
            let pieces = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard let host = pieces.first, !host.isEmpty, pieces.count <= 2 else { throw WebSocketError.badURL(url) }
            var port: UInt16 = secure ? 443 : 80
            if pieces.count == 2 {
                guard let given = UInt16(pieces[1]), given > 0 else { throw WebSocketError.badURL(url) }
                port = given
            }
            self.host = String(host)
            self.port = port
            self.target = target
        }
    }

    /// Connects and upgrades within `timeout` seconds.
    /// - Throws: `WebSocketError.connectFailed` (DNS, TCP, TLS, timeout), `.upgradeRefused` (a
    ///   status other than 101, or a wrong accept key), `.badURL`.
    public static func connect(_ url: String, timeout: Double = 10, headers: [(String, String)] = []) throws -> WebSocketConnection {
        let endpoint = try Endpoint(url)
        let deadline = WebSocketConnection.monotonicSeconds() + timeout
        let socket = try openSocket(endpoint, url: url, timeout: timeout)
        let stream: ByteStream = endpoint.secure
            ? try TLSStream(socket: socket, host: endpoint.host, url: url, timeout: max(0.1, deadline - WebSocketConnection.monotonicSeconds()))
            : TCPStream(socket: socket)
        let key = WebSocketHandshake.newKey()
        let defaultPort: UInt16 = endpoint.secure ? 443 : 80
        var request = "GET \(endpoint.target) HTTP/1.1\r\nHost: \(endpoint.host)\(endpoint.port == defaultPort ? "" : ":\(endpoint.port)")\r\n"
        request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        do {
            try Array(request.utf8).withUnsafeBytes { try stream.write($0) }
        } catch {
            throw WebSocketError.connectFailed(url: url, reason: "the upgrade request could not be sent: \(error)")
        }
        let (head, leftover) = try readHead(stream, url: url, deadline: deadline)
        let lines = head.components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        guard status == 101 else {
            throw WebSocketError.upgradeRefused(url: url, status: status, body: String(decoding: leftover, as: UTF8.self))
        }
        let accept = lines.dropFirst().first { $0.lowercased().hasPrefix("sec-websocket-accept:") }
            .map { $0.dropFirst("sec-websocket-accept:".count).trimmingCharacters(in: .whitespaces) }
        guard accept == WebSocketHandshake.accept(forKey: key) else {
            throw WebSocketError.upgradeRefused(url: url, status: status, body: "Sec-WebSocket-Accept does not match the key sent")
        }
        return WebSocketConnection(stream: stream, role: .client, leftover: leftover)
    }

    private static func openSocket(_ endpoint: Endpoint, url: String, timeout: Double) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            throw WebSocketError.connectFailed(url: url, reason: "cannot resolve \(endpoint.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        let socket = Glibc.socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard socket >= 0 else { throw WebSocketError.connectFailed(url: url, reason: String(cString: strerror(errno))) }
        let flags = fcntl(socket, F_GETFL, 0)
        _ = fcntl(socket, F_SETFL, flags | O_NONBLOCK)
        var result = Glibc.connect(socket, first.pointee.ai_addr, first.pointee.ai_addrlen)
        if result != 0, errno == EINPROGRESS {
            var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, Int32(timeout * 1000))
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &code, &length)
            if ready == 1, code == 0 { result = 0 } else {
                Glibc.close(socket)
                throw WebSocketError.connectFailed(url: url, reason: ready == 0 ? "no answer within \(timeout) s" : String(cString: strerror(code)))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(socket)
            throw WebSocketError.connectFailed(url: url, reason: reason)
        }
        _ = fcntl(socket, F_SETFL, flags)
        return socket
    }

    /// Reads the HTTP response head; what came after it belongs to the WebSocket.
    private static func readHead(_ stream: ByteStream, url: String, deadline: Double) throws -> (String, [UInt8]) {
        var received: [UInt8] = []
        while true {
            if let end = headEnd(received) {
                return (String(decoding: received[..<end], as: UTF8.self), Array(received[(end + 4)...]))
            }
            let remaining = deadline - WebSocketConnection.monotonicSeconds()
            let arrived: Bool
            do {
                arrived = remaining > 0 ? try stream.read(into: &received, waiting: remaining) : false
            } catch WebSocketError.connectionLost(let reason) {
                throw WebSocketError.connectFailed(url: url, reason: "the connection ended during the upgrade: \(reason)")
            }
            guard arrived else { throw WebSocketError.connectFailed(url: url, reason: "no upgrade answer in time") }
            guard received.count < 64 * 1024 else { throw WebSocketError.connectFailed(url: url, reason: "an upgrade answer above 64 KiB") }
        }
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }
}
