/// SHA-256 over a sequence of SQLite rows, each value framed by its storage class (and a
/// length for text), so equal digests mean equal rows in equal order.
struct RowDigest {
    private var hasher = Fingerprint()
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    /// Adds the current row of `statement`, columns 0..<count.
    mutating func add(_ statement: Statement, columns count: Int32) {
        for index in 0..<count {
            switch statement.storageClass(at: index) {
            case .null:
                buffer.append(0)
            case .integer:
                buffer.append(1)
                append(UInt64(bitPattern: statement.int64(at: index)))
            case .real:
                buffer.append(2)
                append(statement.double(at: index)?.bitPattern ?? 0)
            case .text, .blob:
                buffer.append(3)
                statement.withBytes(at: index) { bytes in
                    append(UInt64(bytes.count))
                    buffer.append(contentsOf: bytes)
                }
            }
        }
        if buffer.count >= 1 << 16 { flush() }
    }

    /// The lowercase hex digest; the digest cannot be extended afterwards.
    mutating func finish() -> String {
        flush()
        return hasher.finish()
    }

    private mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private mutating func flush() {
        buffer.withUnsafeBytes { hasher.add(bytes: $0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
