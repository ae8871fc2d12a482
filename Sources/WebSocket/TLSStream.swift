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
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_READ:
                guard try TCPStream.wait(socket, for: Int16(POLLIN), seconds: deadline - WebSocketConnection.monotonicSeconds()) else { return false }
            case SSL_ERROR_WANT_WRITE:
                guard try TCPStream.wait(socket, for: Int16(POLLOUT), seconds: deadline - WebSocketConnection.monotonicSeconds()) else { return false }
            case SSL_ERROR_ZERO_RETURN:
                throw WebSocketError.connectionLost("the peer closed the TLS connection")
            default:
                throw WebSocketError.connectionLost("TLS: \(Self.lastError())")
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var sent = 0
        while sent < bytes.count {
            ERR_clear_error()
            let n = SSL_write(ssl, bytes.baseAddress! + sent, Int32(bytes.count - sent))
            if n > 0 { sent += Int(n); continue }
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_WRITE: _ = try TCPStream.wait(socket, for: Int16(POLLOUT), seconds: 10)
            case SSL_ERROR_WANT_READ: _ = try TCPStream.wait(socket, for: Int16(POLLIN), seconds: 10)
            default: throw WebSocketError.connectionLost("TLS: \(Self.lastError())")
            }
        }
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
