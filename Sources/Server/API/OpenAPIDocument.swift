/// Placeholder until the document is written.
enum OpenAPIDocument {
    static let document = JSONBody.object([("openapi", .string("3.0.3"))])
}
