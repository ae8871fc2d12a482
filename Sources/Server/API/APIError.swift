import Warehouse

/// What the API answers when a request cannot be served: an HTTP status and the JSON body
/// `{"error": ..., "detail": ..., "fix": ...}`.
struct APIError: Error, Equatable {
    let status: Int
    let error: String
    let detail: String
    let fix: String?

    var body: JSONBody {
        .object([("error", .string(error)), ("detail", .string(detail)), ("fix", .optional(fix))])
    }

    /// A query parameter that cannot be used (400), named.
    static func badParameter(_ name: String, _ detail: String, fix: String) -> APIError {
        APIError(status: 400, error: "bad parameter: \(name)", detail: detail, fix: fix)
    }

    /// An asset the catalogue does not have (404), with the closest names.
    static func unknownAsset(_ name: String, closest: [AssetKey]) -> APIError {
        APIError(status: 404, error: "unknown asset: \(name)",
                 detail: closest.isEmpty ? "no silver or gold asset has that name" : "did you mean \(closest.map(\.description).joined(separator: ", "))?",
                 fix: "list the assets with GET /api/v1/assets")
    }

    static func notFound(_ what: String, fix: String) -> APIError {
        APIError(status: 404, error: "not found", detail: what, fix: fix)
    }

    /// A database that does not exist yet (503): nothing has been built there.
    static func notBuilt(_ path: String) -> APIError {
        APIError(status: 503, error: "not built yet", detail: "\(path) does not exist",
                 fix: "run the pipeline first (warehouse materialize --all, or POST /api/v1/runs)")
    }

    static let unauthorized = APIError(status: 401, error: "unauthorized",
                                       detail: "starting a run needs Authorization: Bearer <token>",
                                       fix: "send the token set in WAREHOUSE_API_TOKEN; with none set, the server is read-only")

    /// An error of ours or SQLite's, as the API tells it.
    static func from(_ error: Error) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? WarehouseError {
            return APIError(status: error.exitStatus == .usage ? 400 : 500, error: error.exitStatus == .usage ? "bad request" : "failed",
                            detail: error.problem, fix: error.fix)
        }
        return APIError(status: 500, error: "internal error", detail: "\(error)", fix: nil)
    }
}
