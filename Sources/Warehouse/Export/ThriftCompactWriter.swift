/// Thrift's compact protocol, write side: just what Parquet's footer and page headers need.
/// Structs are written field by field with delta-encoded headers; `end()` writes the stop byte.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var lastField: [Int16] = [0]

    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = id - lastField[lastField.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastField[lastField.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ value: Int32) { fieldHeader(id, .i32); varint(zigzag(Int64(value))) }
    mutating func i64(_ id: Int16, _ value: Int64) { fieldHeader(id, .i64); varint(zigzag(value)) }
    mutating func bool(_ id: Int16, _ value: Bool) { fieldHeader(id, value ? .boolTrue : .boolFalse) }
    mutating func byte(_ id: Int16, _ value: Int8) { fieldHeader(id, .byte); bytes.append(UInt8(bitPattern: value)) }
    mutating func binary(_ id: Int16, _ value: [UInt8]) { fieldHeader(id, .binary); varint(UInt64(value.count)); bytes += value }
    mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// A nested struct field: `body` writes its fields.
    mutating func structure(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        beginStruct()
        body(&self)
        end()
    }

    /// A list field of structs.
    mutating func structList<T>(_ id: Int16, _ items: [T], _ body: (inout ThriftCompactWriter, T) -> Void) {
        fieldHeader(id, .list)
        listHeader(items.count, .structure)
        for item in items {
            beginStruct()
            body(&self, item)
            end()
        }
    }

    mutating func i32List(_ id: Int16, _ items: [Int32]) {
        fieldHeader(id, .list)
        listHeader(items.count, .i32)
        for item in items { varint(zigzag(Int64(item))) }
    }

    mutating func stringList(_ id: Int16, _ items: [String]) {
        fieldHeader(id, .list)
        listHeader(items.count, .binary)
        for item in items { varint(UInt64(item.utf8.count)); bytes += Array(item.utf8) }
    }

    /// Opens a struct written at the top level (the footer, a page header).
    mutating func beginStruct() { lastField.append(0) }

    /// Closes the innermost struct with the stop byte.
    mutating func end() {
        bytes.append(0)
        lastField.removeLast()
    }

    private mutating func listHeader(_ count: Int, _ type: FieldType) {
        if count < 15 { bytes.append(UInt8(count) << 4 | type.rawValue) } else { bytes.append(0xF0 | type.rawValue); varint(UInt64(count)) }
    }

    private func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 { bytes.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
        bytes.append(UInt8(value))
    }
}
