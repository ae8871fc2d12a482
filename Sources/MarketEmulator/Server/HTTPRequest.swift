import Warehouse

/// A parsed HTTP/1.1 request line and headers (the emulator serves GETs only).
public struct HTTPRequest: Sendable {
    public let method: String
    /// The path without the query, percent-decoded.
    public let path: String
    /// Query parameters, percent-decoded.
    public let query: [String: String]
    /// Header names lowercased.
    public let headers: [String: String]

    /// Parses the head of a request (everything before the blank line).
    static func parse(head: String) -> HTTPRequest? {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return nil }
        let target = String(parts[1])
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let pathPart = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        var query: [String: String] = [:]
        if let q = target.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in q.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[percentDecode(kv[0])] = kv.count > 1 ? percentDecode(kv[1]) : ""
            }
        }
        return HTTPRequest(method: String(parts[0]), path: percentDecode(Substring(pathPart)), query: query, headers: headers)
    }

    static func percentDecode(_ text: Substring) -> String {
        let replaced = text.replacingOccurrences(of: "+", with: " ")
        return replaced.removingPercentEncoding ?? replaced
    }
}

/// What a route answers.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body.
    public static func json(_ body: [UInt8], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
    }

    /// A JSON error object `{"error": message}`.
    public static func error(_ status: Int, _ message: String) -> HTTPResponse {
        var writer = JSONWriter()
        writer.object { $0.field("error") { $0.string(message) } }
        return .json(writer.bytes, status: status)
    }
}

import Foundation
