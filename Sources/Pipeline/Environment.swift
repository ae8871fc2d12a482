import Foundation
import Warehouse

/// The process environment plus `.env` files (the current folder's, then the root's):
/// real environment variables win over the files.
public enum Environment {
    /// - Throws: `ConfigurationError` for a `.env` that cannot be read or is not UTF-8.
    public static func load(root: URL?, processEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String: String] {
        var merged: [String: String] = [:]
        var files = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".env")]
        if let root { files.append(root.appendingPathComponent(".env")) }
        for file in files {
            guard let text = try SettingsFile.text(of: file) else { continue }
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
                var name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("export ") { name = String(name.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
                var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                    value = String(value.dropFirst().dropLast())
                }
                if merged[name] == nil { merged[name] = value }
            }
        }
        return merged.merging(processEnvironment) { _, real in real }
    }
}
