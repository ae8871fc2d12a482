import Foundation

/// A complete HTTP response as the client received it.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header names lowercased; the last value wins.
    public let headers: [String: String]
    public let body: Data
    /// From the request's last byte sent to the answer's first byte received, microseconds: the
    /// server's round trip without DNS, TCP or TLS set-up (nil when unknown).
    public let roundTripMicros: Int64?

    public init(status: Int, headers: [String: String], body: Data, roundTripMicros: Int64? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.roundTripMicros = roundTripMicros
    }
}
