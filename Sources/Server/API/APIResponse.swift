/// An answer of the API or a page, independent of the HTTP framework: status, content type, body.
struct APIResponse: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var headers: [(String, String)] = []

    static func json(_ body: JSONBody, status: Int = 200) -> APIResponse {
        APIResponse(status: status, contentType: "application/json", body: body.bytes)
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", status: Int = 200) -> APIResponse {
        APIResponse(status: status, contentType: contentType, body: Array(text.utf8))
    }

    static func html(_ html: String, status: Int = 200) -> APIResponse {
        text(html, contentType: "text/html; charset=utf-8", status: status)
    }

    static func error(_ error: APIError) -> APIResponse { json(error.body, status: error.status) }

    static func redirect(to location: String) -> APIResponse {
        APIResponse(status: 303, contentType: "text/plain; charset=utf-8", body: Array("See \(location)".utf8), headers: [("Location", location)])
    }
}
