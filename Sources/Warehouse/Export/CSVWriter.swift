import Foundation

/// RFC 4180 CSV, buffered: a header line, then one line per row; NULL is an empty field.
/// `warehouse export --format csv` and the staging export write with it.
public final class CSVWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    /// Creates (or empties) the file at `path` and writes the header line.
    public init(path: String, header: [String]) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        try line(header.map(Self.quote))
    }

    /// One row; text is quoted when it holds a comma, quote or line break.
    public func append(_ values: [SQLValue]) throws {
        try line(values.map { value in
            switch value {
            case .null: return ""
            case .text(let text): return Self.quote(text)
            default: return value.rendered
            }
        })
    }

    /// Writes what is buffered and closes the file.
    public func close() throws {
        try handle.write(contentsOf: buffer)
        try handle.close()
    }

    private func line(_ fields: [String]) throws {
        buffer += Array(fields.joined(separator: ",").utf8)
        buffer += [13, 10]
        if buffer.count > 1 << 20 {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    static func quote(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
