import Foundation

/// A settings file (`warehouse.toml`, `.env`) read strictly: one that is there but cannot be
/// read, or is not UTF-8, is an error naming the file and line, never silently skipped.
public enum SettingsFile {
    /// The file's text; nil when there is no such file.
    /// - Throws: `ConfigurationError` naming the file (and the line of the first bad byte).
    public static func text(of file: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ConfigurationError(setting: file.path, problem: "exists but cannot be read", fix: "make it readable, or remove it to use the defaults")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        let offset = firstInvalidByte(in: data)
        let line = data.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count + 1
        throw ConfigurationError(setting: "\(file.path) line \(line)", problem: "byte \(offset) (0x\(String(data[offset], radix: 16, uppercase: true))) is not UTF-8 text",
                                 fix: "save the file as UTF-8 (settings are plain text)")
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidByte(in data: Data) -> Int {
        var index = 0
        let bytes = [UInt8](data)
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            guard length > 0, index + length <= bytes.count,
                  String(bytes: bytes[index..<(index + length)], encoding: .utf8) != nil else { return index }
            index += length
        }
        return max(0, bytes.count - 1)
    }
}
