/// A Parquet column as the exporter writes it: one of the types analysts and notebooks need.
public struct ParquetColumn: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// UTF-8 text (BYTE_ARRAY, STRING).
        case string
        /// 64-bit float (DOUBLE).
        case double
        /// 64-bit integer (INT64).
        case int64
        /// Calendar day (INT32 days since 1970-01-01, DATE), from `YYYY-MM-DD` text.
        case date
        /// Instant in milliseconds since 1970 UTC (INT64, TIMESTAMP(MILLIS, UTC)), from Unix ms integers.
        case timestampMillis
    }

    public let name: String
    public let kind: Kind
    /// REQUIRED rather than OPTIONAL: the column never holds NULL (a primary-key column declared
    /// NOT NULL), so readers see a non-nullable field and pages carry no definition levels.
    public let required: Bool

    public init(name: String, kind: Kind, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
    }

    /// The kind for a SQLite column: by declared type, with `date` text as DATE and `ts` /
    /// `*_ts` integers (Unix ms, as the warehouse stores them) as timestamps.
    public static func kind(name: String, declaredType: String) -> Kind {
        let type = declaredType.uppercased()
        if name == "date" || name.hasSuffix("_date") { return type.contains("INT") ? .int64 : .date }
        if type.contains("INT") { return name == "ts" || name.hasSuffix("_ts") ? .timestampMillis : .int64 }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") || type.contains("NUM") { return .double }
        return .string
    }

    var physicalType: Int32 {
        switch kind {
        case .string: return 6
        case .double: return 5
        case .int64, .timestampMillis: return 2
        case .date: return 1
        }
    }

    var convertedType: Int32? {
        switch kind {
        case .string: return 0
        case .date: return 6
        case .timestampMillis: return 9
        case .int64: return 18
        case .double: return nil
        }
    }
}
