import CSSL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// TLS over a connected TCP socket, for `wss://` (OpenSSL's libssl): the server's certificate
/// is verified against the system's trust store (or `SSL_CERT_FILE` / `SSL_CERT_DIR`, as
/// OpenSSL reads them) and must name the host; the host is sent as SNI. The socket is
/// non-blocking underneath, so a read never waits past its deadline on a half record.
final class TLSStream: ByteStream {
    private let socket: Int32
    private let ssl: OpaquePointer

    /// One context for the process: contexts are shared across connections and threads.
    private static let context: OpaquePointer? = {
        // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a peer gone while we answer a ping
        // would raise SIGPIPE and end the process. A lost peer is an error to record, not a crash.
        signal(SIGPIPE, SIG_IGN)
        guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        SSL_CTX_set_default_verify_paths(context)
        return context
    }()

    /// Takes ownership of `socket` and completes the handshake within `timeout` seconds.
    /// - Throws: `WebSocketError.connectFailed` saying why (certificate not trusted, wrong host,
    ///   no handshake in time), the socket closed.
    init(socket: Int32, host: String, url: String, timeout: Double) throws {
        guard let context = Self.context, let ssl = SSL_new(context) else {
            Glibc.close(socket)
            throw WebSocketError.connectFailed(url: url, reason: "TLS could not be set up: \(Self.lastError())")
        }
        self.socket = socket
        self.ssl = ssl
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL, 0) | O_NONBLOCK)
        SSL_set_fd(ssl, socket)
        _ = cssl_set_server_name(ssl, host)
        SSL_set1_host(ssl, host)
        let deadline = WebSocketConnection.monotonicSeconds() + timeout
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 { break }
            let code = SSL_get_error(ssl, result)
            let events = code == SSL_ERROR_WANT_READ ? Int16(POLLIN) : code == SSL_ERROR_WANT_WRITE ? Int16(POLLOUT) : 0
            let verify = SSL_get_verify_result(ssl)
            guard events != 0 else {
                let reason = verify != X509_V_OK ? "the server's certificate is not trusted: \(String(cString: X509_verify_cert_error_string(verify)))" : Self.lastError()
                throw WebSocketError.connectFailed(url: url, reason: "TLS handshake failed: \(reason)")
            }
            guard try TCPStream.wait(socket, for: events, seconds: deadline - WebSocketConnection.monotonicSeconds()),
                  WebSocketConnection.monotonicSeconds() < deadline else {
                throw WebSocketError.connectFailed(url: url, reason: "no TLS handshake within \(timeout) s")
            }
        }
    }

    deinit {
        SSL_free(ssl)
        Glibc.close(socket)
    }

    func read(into buffer: inout [UInt8], waiting seconds: Double) throws -> Bool {
        let deadline = WebSocketConnection.monotonicSeconds() + seconds
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            ERR_clear_error()
            let n = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<Int(n)])
                return true
            }
            let code = SSL_get_error(ssl, n)
            switch code {
            case SSL_ERROR_WANT_READ:
                guard try TCPStream.wait(socket, for: Int16(POLLIN), seconds: deadline - WebSocketConnection.monotonicSeconds()) else { return false }
            case SSL_ERROR_WANT_WRITE:
                guard try TCPStream.wait(socket, for: Int16(POLLOUT), seconds: deadline - WebSocketConnection.monotonicSeconds()) else { return false }
            case SSL_ERROR_ZERO_RETURN:
                throw WebSocketError.connectionLost("the peer closed the TLS connection")
            default:
                throw WebSocketError.connectionLost(Self.failure(code))
            }
        }
    }

    /// Gives up when the peer takes nothing for `Self.writeSeconds`: a peer that stops reading
    /// must not hang the worker (nor its stop).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var sent = 0
        var deadline = WebSocketConnection.monotonicSeconds() + Self.writeSeconds
        while sent < bytes.count {
            ERR_clear_error()
            let n = SSL_write(ssl, bytes.baseAddress! + sent, Int32(bytes.count - sent))
            if n > 0 {
                sent += Int(n)
                deadline = WebSocketConnection.monotonicSeconds() + Self.writeSeconds
                continue
            }
            let code = SSL_get_error(ssl, n)
            let events: Int16
            switch code {
            case SSL_ERROR_WANT_WRITE: events = Int16(POLLOUT)
            case SSL_ERROR_WANT_READ: events = Int16(POLLIN)
            default: throw WebSocketError.connectionLost(Self.failure(code))
            }
            guard try TCPStream.wait(socket, for: events, seconds: deadline - WebSocketConnection.monotonicSeconds()) || WebSocketConnection.monotonicSeconds() < deadline else {
                throw WebSocketError.connectionLost("the peer took nothing for \(Int(Self.writeSeconds)) s")
            }
        }
    }

    static let writeSeconds: Double = 10

    /// Why a TLS read or write failed: the TLS error, or the socket's where OpenSSL has none
    /// (a reset, or a peer gone without close_notify).
    private static func failure(_ code: Int32) -> String {
        if code == SSL_ERROR_SYSCALL {
            let errorNumber = errno
            let queued = ERR_peek_error() != 0 ? lastError() : nil
            return queued.map { "TLS: \($0)" } ?? (errorNumber != 0 ? "TLS: \(String(cString: strerror(errorNumber)))" : "the peer closed the TLS connection without close_notify")
        }
        return "TLS: \(lastError())"
    }

    func shutdown() { Glibc.shutdown(socket, Int32(SHUT_RDWR)) }

    /// OpenSSL's error queue as text, oldest first.
    private static func lastError() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            messages.append(String(cString: text))
        }
        return messages.isEmpty ? "unknown TLS error" : messages.joined(separator: "; ")
    }
}
