import Foundation
import Warehouse
import WebSocket
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 with keep-alive: one thread per connection,
/// enough for loopback tests and benchmarks with a handful of clients.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> ServedResponse

    /// A response plus how to misbehave while sending it.
    public struct ServedResponse: Sendable {
        public var response: HTTPResponse
        /// Sleep this long before answering.
        public var delay: Double = 0
        /// Send the headers and only this many body bytes, then drop the connection.
        public var truncateAt: Int?
        /// Accept a WebSocket upgrade and hand the open connection to this (on the
        /// connection's thread); `response` is then not sent.
        public var upgrade: (@Sendable (WebSocketConnection) -> Void)?

        public init(_ response: HTTPResponse, delay: Double = 0, truncateAt: Int? = nil) {
            self.response = response
            self.delay = delay
            self.truncateAt = truncateAt
        }

        /// Switches the connection to WebSocket and runs `session` on it.
        public static func webSocket(_ session: @escaping @Sendable (WebSocketConnection) -> Void) -> ServedResponse {
            var served = ServedResponse(HTTPResponse(status: 101, body: []))
            served.upgrade = session
            return served
        }
    }

    public let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var clients = Set<Int32>()
    private var stopped = false

    /// Binds to 127.0.0.1:`port` (0 picks a free port) and starts accepting.
    /// - Throws: `EmulatorError.cannotListen` when the port is taken.
    public init(port: UInt16 = 0, handler: @escaping Handler) throws {
        signal(SIGPIPE, SIG_IGN)
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 256) == 0 else {
            let code = errno
            close(listener)
            throw EmulatorError.cannotListen(port: port, reason: String(cString: strerror(code)))
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        start()
    }

    private func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "emulator-accept"
        thread.start()
    }

    /// Stops accepting and closes every open connection. Safe to call more than once: the
    /// listening socket is closed exactly once, so a reused descriptor is never closed twice.
    public func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        let open = clients
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for client in open { shutdown(client, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                let code = errno
                lock.lock(); let done = stopped; lock.unlock()
                if done { return }
                // Out of descriptors or a transient error: back off briefly, keep serving.
                if code != EINTR && code != ECONNABORTED { Thread.sleep(forTimeInterval: 0.01) }
                continue
            }
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            lock.lock(); clients.insert(client); lock.unlock()
            let thread = Thread { [self] in
                serve(client)
                lock.lock(); clients.remove(client); lock.unlock()
                close(client)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            // Read until the end of the request head.
            var headEnd: Int?
            while headEnd == nil {
                headEnd = Self.findHeadEnd(buffer)
                if headEnd != nil { break }
                let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
                if buffer.count > 64 * 1024 { return }
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            buffer.removeFirst(headEnd! + 4)
            guard let request = HTTPRequest.parse(head: head) else { return }
            let served = handler(request)
            if let session = served.upgrade {
                guard let key = request.headers["sec-websocket-key"], request.headers["upgrade"]?.lowercased() == "websocket" else {
                    _ = send(.error(400, "a WebSocket upgrade needs Upgrade: websocket and Sec-WebSocket-Key"), to: client, keepAlive: false, truncateAt: nil)
                    return
                }
                let head = Array(WebSocketHandshake.switchingProtocols(key: key).utf8)
                guard writeAll(head, count: head.count, to: client) else { return }
                // The connection owns a duplicate descriptor; `stop()` still shuts the socket down.
                session(WebSocketConnection(socket: dup(client), role: .server, leftover: buffer))
                return
            }
            if served.delay > 0 { Thread.sleep(forTimeInterval: served.delay) }
            let keepAlive = request.headers["connection"]?.lowercased() != "close" && served.truncateAt == nil
            guard send(served.response, to: client, keepAlive: keepAlive, truncateAt: served.truncateAt), keepAlive else { return }
        }
    }

    private func send(_ response: HTTPResponse, to client: Int32, keepAlive: Bool, truncateAt: Int?) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        let bodyCount = min(truncateAt ?? response.body.count, response.body.count)
        return writeAll(Array(head.utf8), count: head.utf8.count, to: client)
            && response.body.withUnsafeBytes { writeAll($0, count: bodyCount, to: client) }
    }

    private func writeAll(_ bytes: [UInt8], count: Int, to client: Int32) -> Bool {
        bytes.withUnsafeBytes { writeAll($0, count: count, to: client) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, count: Int, to client: Int32) -> Bool {
        var sent = 0
        while sent < count {
            let n = Glibc.send(client, bytes.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    private static func findHeadEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// Why the emulator could not start.
public enum EmulatorError: WarehouseError {
    case cannotListen(port: UInt16, reason: String)
    /// A market needs coins: at least one.
    case noCoins(Int)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .cannotListen(let port, let reason):
            return ("the market emulator cannot listen on 127.0.0.1:\(port): \(reason)", "pick another --port or stop what uses it")
        case .noCoins(let count):
            return ("a market of \(count) coins cannot be simulated", "ask for at least one coin")
        }
    }
}
