import Foundation
import Warehouse

/// Finds the models: the built-in ones in `sql/` (compiled in, or `WAREHOUSE_SQL_DIR`'s copies)
/// that carry an `-- asset:` header, and every `*.sql` under `ROOT/models/`, folders included.
/// A `.sql` in `sql/` without a header is the SQL a Swift builder runs, not a model.
enum ModelCatalog {
    /// - Throws: `DeclarationError` for a file that cannot be read or declared, or two files declaring one asset.
    static func models(root: URL?, settings: WarehouseSettings, environment: [String: String]) throws -> [SQLModel] {
        var files: [ModelFile] = []
        for name in MartSQL.embedded.keys.sorted() where name != "views" {
            let sql = try MartSQL.load(name, environment: environment)
            let file = try ModelFile(path: sql.path, text: sql.text)
            if file.declaresAsset { files.append(file) }
        }
        if let root { files += try userFiles(under: root.appendingPathComponent("models"), root: root) }
        var models: [SQLModel] = []
        var declared: [AssetKey: String] = [:]
        for file in files {
            let model = try SQLModel(file: file, settings: settings)
            if let other = declared[model.key] {
                throw DeclarationError(file: file.path, line: file.field("asset")?.line ?? 1, problem: "\(model.key) is already declared by \(other)",
                                       fix: "give this model another name; to change a built-in mart, edit a copy through WAREHOUSE_SQL_DIR")
            }
            declared[model.key] = file.path
            models.append(model)
        }
        return models
    }

    /// Every `*.sql` under the folder, in path order, named relative to the root.
    static func userFiles(under folder: URL, root: URL) throws -> [ModelFile] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let base = root.standardizedFileURL.path + "/"
        var urls: [URL] = []
        for case let url as URL in walker where url.pathExtension == "sql" { urls.append(url.standardizedFileURL) }
        return try urls.sorted { $0.path < $1.path }.map { url in
            let path = url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw DeclarationError(file: path, line: 0, problem: "cannot be read", fix: "make it readable, or move it out of models/")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw DeclarationError(file: path, line: 0, problem: "is not UTF-8 text", fix: "save it as UTF-8")
            }
            let file = try ModelFile(path: path, text: text)
            guard file.declaresAsset else {
                throw DeclarationError(file: path, line: 1, problem: "has no '-- asset: gold.NAME' header, so it declares no asset",
                                       fix: "start it with '-- asset: gold.\(SQLModel.stem(path))' (see docs/models.md)")
            }
            return file
        }
    }
}
