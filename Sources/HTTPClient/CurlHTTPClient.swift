import CCurl
import Foundation

/// A thin HTTP client over one libcurl easy handle: keeps its connection alive between
/// requests, so a worker thread that owns one makes thousands of loopback requests a second.
/// The API fetchers GET with it; the bucket clients also PUT, POST and DELETE.
/// Not thread-safe: one client per thread.
public final class CurlHTTPClient {
    private let handle: UnsafeMutableRawPointer
    private let timeout: Double

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// - Parameter timeout: seconds for the whole request, connection included.
    public init(timeout: Double = 60) {
        _ = Self.globalInit
        handle = curl_easy_init()
        self.timeout = timeout
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs a GET.
    /// - Throws: `TransportError` when no complete response arrived (refused, timed out, cut off).
    public func get(_ url: String, headers: [String: String] = [:]) throws -> HTTPResponse {
        try send("GET", url, headers: headers)
    }

    /// Performs a request with `method`, sending `body` when given (as is: no content encoding
    /// is added, so a signature over it holds). Headers are sent in name order.
    /// - Throws: `TransportError` when no complete response arrived (refused, timed out, cut off).
    public func send(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil) throws -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = ResponseSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { list = curl_slist_append(list, "\(name): \(value)") }
        // libcurl would otherwise add `Expect: 100-continue` to larger uploads and wait for it.
        if body != nil {
            list = curl_slist_append(list, "Expect:")
            // libcurl labels a body it sends as a form unless told otherwise.
            if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) { list = curl_slist_append(list, "Content-Type: application/octet-stream") }
        }
        defer { curl_slist_free_all(list) }

        ccurl_setopt_string(handle, CURLOPT_URL, url)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(timeout, 10) * 1000))
        ccurl_setopt_string(handle, CURLOPT_USERAGENT, "medallion-warehouse/1.0")
        if method == "GET" {
            ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
            ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        } else {
            ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        if list != nil { ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list) }
        ccurl_setopt_write_function(handle) { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            sink.body.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
        ccurl_setopt_header_function(handle) { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            if let colon = line.firstIndex(of: ":") {
                sink.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return size * count
        }
        ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, unmanaged.toOpaque())

        if let body {
            // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive the call; the size
            // goes first so a body with zero bytes in it is sent whole.
            ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE_LARGE, body.count)
            if body.isEmpty {
                ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in _ = ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress!)) }
            }
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw TransportError(url: url, code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var sent: curl_off_t = 0, firstByte: curl_off_t = 0
        ccurl_getinfo_off_t(handle, CURLINFO_PRETRANSFER_TIME_T, &sent)
        ccurl_getinfo_off_t(handle, CURLINFO_STARTTRANSFER_TIME_T, &firstByte)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body, roundTripMicros: firstByte >= sent && firstByte > 0 ? Int64(firstByte - sent) : nil)
    }
}

private final class ResponseSink {
    var body = Data()
    var headers: [String: String] = [:]
}

/// No complete HTTP response: connection refused, reset, timed out, or the body cut off.
public struct TransportError: Error, CustomStringConvertible {
    public let url: String
    public let code: Int
    public let message: String

    public init(url: String, code: Int, message: String) {
        self.url = url
        self.code = code
        self.message = message
    }

    public var description: String { "\(url): \(message) (curl \(code))" }

    /// Nothing answers at the address: the host does not resolve (curl 5, 6) or refuses the connection (7).
    public var isUnreachable: Bool { [5, 6, 7].contains(code) }
}
