import Warehouse

/// Why a WebSocket could not be opened or went on no longer.
public enum WebSocketError: WarehouseError, Equatable {
    /// The URL is not `ws://host[:port][/path]` or `wss://...`.
    case badURL(String)
    /// DNS, TCP, TLS or the HTTP upgrade failed.
    case connectFailed(url: String, reason: String)
    /// The server answered the upgrade with something other than 101.
    case upgradeRefused(url: String, status: Int, body: String)
    /// The peer broke RFC 6455.
    case protocolViolation(String)
    /// The TCP connection ended without a close frame.
    case connectionLost(String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .badURL(let url):
            return ("'\(url)' is not a WebSocket URL", "write it as ws://host:port/path or wss://host/path")
        case .connectFailed(let url, let reason):
            return ("cannot connect to \(url): \(reason)", "check the URL and that the venue is reachable")
        case .upgradeRefused(let url, let status, let body):
            return ("\(url) refused the WebSocket upgrade with HTTP \(status)\(body.isEmpty ? "" : ": \(body.prefix(200))")", "check the stream path and parameters")
        case .protocolViolation(let reason):
            return ("the peer broke the WebSocket protocol: \(reason)", nil)
        case .connectionLost(let reason):
            return ("the connection was lost without a close frame: \(reason)", nil)
        }
    }
}
