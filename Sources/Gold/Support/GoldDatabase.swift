import Foundation
import Warehouse

/// gold.sqlite with silver.sqlite attached read-only as `silver`: gold reads silver's
/// database and never its code.
enum GoldDatabase {
    static func open(_ context: BuildContext) throws -> Database {
        let silver = context.layout.silverDatabase.path
        guard FileManager.default.fileExists(atPath: silver) else { throw GoldError.missingSilver(path: silver) }
        let database = try context.openLayerDatabase()
        let uri = "file:\(silver.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? silver)?mode=ro"
        try database.execute("ATTACH DATABASE '\(uri.replacingOccurrences(of: "'", with: "''"))' AS silver")
        return database
    }
}
