/// The values of one column in the row group being built, already in Parquet's PLAIN
/// encoding, with the definition levels (OPTIONAL columns) and the running min and max.
struct ColumnBuffer {
    let kind: ParquetColumn.Kind
    let required: Bool
    private(set) var count = 0
    private(set) var nulls = 0
    private var levels: [Bool] = []
    private var values: [UInt8] = []
    private var minValue: ParquetValue?
    private var maxValue: ParquetValue?

    init(kind: ParquetColumn.Kind, required: Bool = false) {
        self.kind = kind
        self.required = required
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
        case .double(let number): appendLittleEndian(number.bitPattern)
        case .int64(let number): appendLittleEndian(UInt64(bitPattern: number))
        case .date(let day): appendLittleEndian(UInt32(bitPattern: day))
        }
        // NaN has no place in an order: the statistics leave it out (a chunk of only NaN has none).
        if case .double(let number) = value, number.isNaN { return }
        if minValue == nil || Self.less(value, minValue!) { minValue = value }
        if maxValue == nil || Self.less(maxValue!, value) { maxValue = value }
    }

    /// Definition levels (4-byte length + RLE runs, bit width 1) followed by the values; the
    /// values alone for a REQUIRED column.
    func pageBody() -> [UInt8] {
        if required { return values }
        var runs: [UInt8] = []
        var index = 0
        while index < levels.count {
            var end = index
            while end < levels.count && levels[end] == levels[index] { end += 1 }
            var header = UInt64(end - index) << 1
            while header >= 0x80 { runs.append(UInt8(header & 0x7F) | 0x80); header >>= 7 }
            runs.append(UInt8(header))
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

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { values += $0 }
    }
}
