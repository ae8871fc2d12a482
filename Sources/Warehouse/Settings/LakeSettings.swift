import Foundation

/// A Parquet lake kept in step with gold (`[lake]` in warehouse.toml): after every
/// materialization each gold table is written to `DIR/<table>/` in a Hive layout that DuckDB,
/// pyarrow datasets and Spark read with partition pruning, and only partitions whose rows
/// changed are rewritten.
public struct LakeSettings: Sendable, Equatable {
    /// The lake's folder as written (relative paths are under the root).
    public var dir: String
    /// How tables with a `date` column are split: `month` (default), `year` or `date`; a table
    /// without one is one file.
    public var partitionBy: String = "month"
    /// Rows per row group: small enough that min/max statistics skip most of a file for a
    /// filter on the leading key, large enough to compress well.
    public var rowGroupRows = 65_536
    public var codec: ParquetCodec = .zstd

    public static let partitionings = ["month", "year", "date"]

    public init(dir: String) { self.dir = dir }

    /// The lake's folder for a root.
    public func folder(root: URL) -> URL {
        URL(fileURLWithPath: dir, relativeTo: root).standardizedFileURL
    }
}

extension WarehouseSettings {
    static let lakeKeys: Set<String> = ["lake.dir", "lake.partition_by", "lake.row_group_rows", "lake.compression"]

    /// Reads `[lake]`; returns the keys it knows.
    mutating func applyLake(toml document: TOMLDocument, source: String) throws -> Set<String> {
        let present = Self.lakeKeys.filter { document.values[$0] != nil }
        guard !present.isEmpty else { return Self.lakeKeys }
        func fail(_ key: String, _ problem: String, _ fix: String) -> ConfigurationError {
            ConfigurationError(setting: "\(source): \(key)", problem: problem, fix: fix)
        }
        guard case .string(let dir)? = document.values["lake.dir"], !dir.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail("lake.dir", "must be a non-empty string when [lake] is set", "write e.g. dir = \"lake\" (a folder under the root, or an absolute path)")
        }
        var lake = LakeSettings(dir: dir)
        if let value = document.values["lake.partition_by"] {
            guard case .string(let text) = value, LakeSettings.partitionings.contains(text) else {
                throw fail("lake.partition_by", "must be one of \(LakeSettings.partitionings.joined(separator: ", "))", "write e.g. partition_by = \"month\"")
            }
            lake.partitionBy = text
        }
        if let value = document.values["lake.row_group_rows"] {
            guard case .integer(let rows) = value, (100...16_777_216).contains(rows) else {
                throw fail("lake.row_group_rows", "must be a whole number from 100 to 16777216", "write e.g. row_group_rows = 65536")
            }
            lake.rowGroupRows = rows
        }
        if let value = document.values["lake.compression"] {
            guard case .string(let text) = value, let codec = ParquetCodec(rawValue: text) else {
                throw fail("lake.compression", "must be one of \(ParquetCodec.allCases.map(\.rawValue).joined(separator: ", "))", "write e.g. compression = \"zstd\"")
            }
            lake.codec = codec
        }
        self.lake = lake
        return Self.lakeKeys
    }
}
