import Warehouse

/// Rows for `COPY ... FROM STDIN` in PostgreSQL's text format: tab between values, a newline
/// after each row, `\N` for NULL, and backslash escapes in text. Written straight from SQLite's
/// row buffers, without making Strings of the values.
struct CopyText {
    /// The table the rows go to, for messages.
    let table: String
    let columns: [TableLayout.Column]

    /// Appends the current row of `row` (its columns in `columns` order).
    func append(_ row: Statement, to buffer: inout [UInt8]) throws {
        for index in columns.indices {
            if index > 0 { buffer.append(0x09) }
            let column = Int32(index)
            switch row.storageClass(at: column) {
            case .null:
                buffer.append(contentsOf: [0x5C, 0x4E]) // \N
            case .integer:
                buffer.append(contentsOf: String(row.int64(at: column)).utf8)
            case .real:
                Self.append(row.double(at: column) ?? 0, to: &buffer)
            case .text where columns[index].type == .blob, .blob:
                row.withBytes(at: column) { Self.appendHex($0, to: &buffer) }
            case .text:
                try row.withBytes(at: column) { try appendText($0, column: columns[index].name, to: &buffer) }
            }
        }
        buffer.append(0x0A)
    }

    /// Appends a row of values made in Swift (the changed entities of an incremental publish).
    func append(_ values: [SQLValue], to buffer: inout [UInt8]) throws {
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(0x09) }
            switch value {
            case .null: buffer.append(contentsOf: [0x5C, 0x4E])
            case .integer(let integer): buffer.append(contentsOf: String(integer).utf8)
            case .real(let real): Self.append(real, to: &buffer)
            case .text(let text):
                var text = text
                try text.withUTF8 { try appendText($0, column: columns[index].name, to: &buffer) }
            }
        }
        buffer.append(0x0A)
    }

    /// The shortest decimal that reads back as the same double (PostgreSQL parses it exactly).
    static func append(_ value: Double, to buffer: inout [UInt8]) {
        if value.isNaN { buffer.append(contentsOf: "NaN".utf8) }
        else if value.isInfinite { buffer.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8) }
        else { buffer.append(contentsOf: value.description.utf8) }
    }

    private func appendText(_ bytes: UnsafeBufferPointer<UInt8>, column: String, to buffer: inout [UInt8]) throws {
        // Most text has nothing to escape: copied in one go.
        guard bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }) else {
            buffer.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            case 0x00: throw PublishError.unrepresentable(table: table, column: column, reason: "holds a NUL character, which PostgreSQL text cannot")
            default: buffer.append(byte)
            }
        }
    }

    /// bytea's hex input form, `\\x0a1b...` (the backslash itself escaped for COPY).
    private static func appendHex(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        buffer.append(contentsOf: [0x5C, 0x5C, 0x78])
        for byte in bytes {
            buffer.append(digits[Int(byte >> 4)])
            buffer.append(digits[Int(byte & 0x0F)])
        }
    }
}
