/// The OpenAPI 3 document of the API (`OpenAPI/openapi.json`, embedded in the binary), served at
/// `/api/v1/openapi.json`. The tests fuzz the API against it with schemathesis.
enum OpenAPIDocument {
    static var bytes: [UInt8] { PackageResources.openapi_json }
}
