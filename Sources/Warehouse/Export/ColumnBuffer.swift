/// The values of one column in the row group being built, already in Parquet's PLAIN
/// encoding, with the definition levels (OPTIONAL columns) and the running min and max. A
/// string column also keeps a dictionary of its distinct values while there are few, so a
/// low-cardinality column (coin ids, categories) can be written dictionary-encoded.
struct ColumnBuffer {
    let kind: ParquetColumn.Kind
    let required: Bool
    private(set) var count = 0
    private(set) var nulls = 0
    private var levels: [Bool] = []
    private var values: [UInt8] = []
    private var minValue: ParquetValue?
    private var maxValue: ParquetValue?
    /// Distinct strings and their indices; nil once there are too many to be worth it.
    private var dictionary: [String: UInt32]?
    private var dictionaryValues: [UInt8] = []
    private var indices: [UInt32] = []

    /// Beyond this many distinct values a column is written PLAIN.
    static let dictionaryLimit = 1 << 14

    init(kind: ParquetColumn.Kind, required: Bool = false) {
        self.kind = kind
        self.required = required
        if case .string = kind { dictionary = [:] }
    }

    mutating func append(_ value: ParquetValue?) {
        count += 1
        guard let value else { nulls += 1; levels.append(false); return }
        levels.append(true)
        switch value {
        case .string(let text):
            let utf8 = Array(text.utf8)
            appendLittleEndian(UInt32(utf8.count))
            values += utf8
            remember(text, utf8)
        case .double(let number): appendLittleEndian(number.bitPattern)
        case .int64(let number): appendLittleEndian(UInt64(bitPattern: number))
        case .date(let day): appendLittleEndian(UInt32(bitPattern: day))
        }
        // NaN has no place in an order: the statistics leave it out (a chunk of only NaN has none).
        if case .double(let number) = value, number.isNaN { return }
        if minValue == nil || Self.less(value, minValue!) { minValue = value }
        if maxValue == nil || Self.less(maxValue!, value) { maxValue = value }
    }

    private mutating func remember(_ text: String, _ utf8: [UInt8]) {
        guard dictionary != nil else { return }
        if let index = dictionary![text] { indices.append(index); return }
        guard dictionary!.count < Self.dictionaryLimit else {
            dictionary = nil
            indices = []
            dictionaryValues = []
            return
        }
        let index = UInt32(dictionary!.count)
        dictionary![text] = index
        withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { dictionaryValues += $0 }
        dictionaryValues += utf8
        indices.append(index)
    }

    /// The column dictionary-encoded, when that is smaller than PLAIN: the dictionary page's
    /// body (the distinct values, PLAIN), their number, and the data page's body (levels, then
    /// the indices as RLE runs after their bit width).
    func dictionaryEncoded() -> (dictionary: [UInt8], entries: Int, page: [UInt8])? {
        guard let dictionary, !dictionary.isEmpty else { return nil }
        let width = max(1, UInt32.bitWidth - UInt32(dictionary.count - 1).leadingZeroBitCount)
        let valueBytes = (width + 7) / 8
        var encoded: [UInt8] = [UInt8(width)]
        var start = 0
        while start < indices.count {
            var end = start + 1
            while end < indices.count && indices[end] == indices[start] { end += 1 }
            Self.appendVarint(UInt64(end - start) << 1, to: &encoded)
            withUnsafeBytes(of: indices[start].littleEndian) { encoded += $0.prefix(valueBytes) }
            start = end
        }
        guard dictionaryValues.count + encoded.count < values.count else { return nil }
        return (dictionaryValues, dictionary.count, pageBody(values: encoded))
    }

    /// Definition levels (4-byte length + RLE runs, bit width 1) followed by the values; the
    /// values alone for a REQUIRED column.
    func pageBody() -> [UInt8] { pageBody(values: values) }

    private func pageBody(values: [UInt8]) -> [UInt8] {
        if required { return values }
        var runs: [UInt8] = []
        var index = 0
        while index < levels.count {
            var end = index
            while end < levels.count && levels[end] == levels[index] { end += 1 }
            Self.appendVarint(UInt64(end - index) << 1, to: &runs)
            runs.append(levels[index] ? 1 : 0)
            index = end
        }
        var length = UInt32(runs.count).littleEndian
        return withUnsafeBytes(of: &length) { Array($0) } + runs + values
    }

    /// Min and max in PLAIN encoding without the length prefix, as Parquet statistics hold them.
    func statistics() -> (min: [UInt8], max: [UInt8])? {
        guard var minValue, var maxValue else { return nil }
        // Zero's sign is not ordered: the spec asks for -0.0 as a minimum and +0.0 as a maximum.
        if case .double(let number) = minValue, number == 0 { minValue = .double(-0.0) }
        if case .double(let number) = maxValue, number == 0 { maxValue = .double(0.0) }
        return (Self.plain(minValue), Self.plain(maxValue))
    }

    private static func plain(_ value: ParquetValue) -> [UInt8] {
        switch value {
        case .string(let text): return Array(text.utf8)
        case .double(let number): return withUnsafeBytes(of: number.bitPattern.littleEndian) { Array($0) }
        case .int64(let number): return withUnsafeBytes(of: number.littleEndian) { Array($0) }
        case .date(let day): return withUnsafeBytes(of: day.littleEndian) { Array($0) }
        }
    }

    private static func less(_ a: ParquetValue, _ b: ParquetValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case (.double(let x), .double(let y)): return x < y
        case (.int64(let x), .int64(let y)): return x < y
        case (.date(let x), .date(let y)): return x < y
        default: return false
        }
    }

    /// An RLE run header: ULEB128.
    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 { bytes.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
        bytes.append(UInt8(value))
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { values += $0 }
    }
}
