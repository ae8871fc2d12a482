import Foundation

/// A complete HTTP response as the client received it.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header names lowercased; the last value wins.
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
