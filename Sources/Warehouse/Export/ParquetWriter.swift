import Foundation

/// Writes a Parquet file (format 2 metadata, data page v1) a row group at a time, so a table
/// of any size streams through bounded memory: typed columns, nulls (OPTIONAL columns with
/// RLE-encoded definition levels; NOT NULL key columns REQUIRED), min/max/null-count statistics
/// per column chunk under type-defined column orders (so readers trust string min/max too),
/// and ZSTD, SNAPPY or GZIP pages (`ParquetCodec`). Readers: pyarrow, pandas, DuckDB, Spark.
public final class ParquetWriter {
    public let columns: [ParquetColumn]
    /// Rows buffered before a row group is written.
    public let rowGroupSize: Int
    /// How pages are compressed.
    public let codec: ParquetCodec
    private let handle: FileHandle
    private var offset: Int64 = 0
    private var buffers: [ColumnBuffer]
    private var rowGroups: [RowGroupMeta] = []
    private var totalRows: Int64 = 0
    /// The footer's key-value metadata (what the table and its columns mean).
    private let keyValueMetadata: [(String, String)]

    /// The footer's `created_by`: how an export of ours is recognised (`wrote(_:)`).
    static let createdBy = "medallion-warehouse"

    /// Whether a file is a Parquet file this writer made, or a folder holds only such files
    /// (a partitioned export): read from the footer, nothing else.
    public static func wrote(_ url: URL) -> Bool {
        if ExportDestination.isDirectory(url) {
            let files = (FileManager.default.subpaths(atPath: url.path) ?? []).filter { !ExportDestination.isDirectory(url.appendingPathComponent($0)) }
            return !files.isEmpty && files.allSatisfy { wrote(url.appendingPathComponent($0)) }
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size >= 12 else { return false }
        try? handle.seek(toOffset: size - 8)
        guard let tail = try? handle.read(upToCount: 8), tail.count == 8, tail.suffix(4) == Data("PAR1".utf8) else { return false }
        let length = UInt64(tail.prefix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self).littleEndian })
        guard length > 0, length <= size - 12, length < 64 << 20 else { return false }
        try? handle.seek(toOffset: size - 8 - length)
        guard let footer = try? handle.read(upToCount: Int(length)) else { return false }
        // created_by is field 6 of FileMetaData: a compact-protocol string, its value our name.
        return footer.range(of: Data(createdBy.utf8)) != nil
    }

    /// Creates the file and writes its magic number.
    /// - Parameter metadata: the footer's key-value metadata, sorted by key (pyarrow's `read_metadata(f).metadata`).
    public init(path: String, columns: [ParquetColumn], rowGroupSize: Int = 128 * 1024, metadata: [String: String] = [:],
                codec: ParquetCodec = .zstd) throws {
        self.columns = columns
        self.codec = codec
        keyValueMetadata = metadata.sorted { $0.key < $1.key }
        self.rowGroupSize = rowGroupSize
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        buffers = columns.map { ColumnBuffer(kind: $0.kind, required: $0.required) }
        try write(Array("PAR1".utf8))
    }

    /// Appends a row; values must match the columns (nil for NULL).
    /// - Throws: `ParquetError.nullInRequiredColumn` for a NULL in a REQUIRED column (nothing of the row is kept).
    public func append(_ row: [ParquetValue?]) throws {
        for (index, value) in row.enumerated() where value == nil && columns[index].required {
            throw ParquetError.nullInRequiredColumn(column: columns[index].name, row: totalRows + Int64(buffers[0].count) + 1)
        }
        for (index, value) in row.enumerated() { buffers[index].append(value) }
        if buffers[0].count >= rowGroupSize { try flushRowGroup() }
    }

    /// Writes the last row group and the footer; the file is complete after this.
    public func close() throws {
        if buffers[0].count > 0 || rowGroups.isEmpty { try flushRowGroup() }
        var footer = ThriftCompactWriter()
        footer.beginStruct()
        footer.i32(1, 2)
        footer.structList(2, [nil] + columns.map { Optional($0) }) { w, column in
            guard let column else {
                w.string(4, "schema")
                w.i32(5, Int32(columns.count))
                return
            }
            w.i32(1, column.physicalType)
            w.i32(3, column.required ? 0 : 1)   // REQUIRED or OPTIONAL
            w.string(4, column.name)
            if let converted = column.convertedType { w.i32(6, converted) }
            switch column.kind {
            case .string: w.structure(10) { $0.structure(1) { _ in } }
            case .date: w.structure(10) { $0.structure(6) { _ in } }
            case .timestampMillis:
                w.structure(10) { $0.structure(8) { t in t.bool(1, true); t.structure(2) { $0.structure(1) { _ in } } } }
            case .int64: w.structure(10) { $0.structure(10) { i in i.byte(1, 64); i.bool(2, true) } }
            case .double: break
            }
        }
        footer.i64(3, totalRows)
        footer.structList(4, rowGroups) { w, group in
            w.structList(1, group.chunks) { c, chunk in
                c.i64(2, chunk.dictionaryOffset ?? chunk.offset)
                c.structure(3) { m in
                    m.i32(1, chunk.physicalType)
                    m.i32List(2, (chunk.required ? [0] : [0, 3]) + (chunk.dictionaryOffset == nil ? [] : [8]))
                    m.stringList(3, [chunk.name])
                    m.i32(4, codec.thriftValue)
                    m.i64(5, chunk.values)
                    m.i64(6, chunk.uncompressed)
                    m.i64(7, chunk.compressed)
                    m.i64(9, chunk.offset)
                    if let dictionary = chunk.dictionaryOffset { m.i64(11, dictionary) }
                    m.structure(12) { s in
                        if let max = chunk.max { s.binary(1, max) }
                        if let min = chunk.min { s.binary(2, min) }
                        s.i64(3, chunk.nulls)
                        if let max = chunk.max { s.binary(5, max) }
                        if let min = chunk.min { s.binary(6, min) }
                    }
                }
            }
            w.i64(2, group.bytes)
            w.i64(3, group.rows)
            w.i64(5, group.start)
            w.i64(6, group.bytes)
        }
        if !keyValueMetadata.isEmpty {
            footer.structList(5, keyValueMetadata) { w, pair in
                w.string(1, pair.0)
                w.string(2, pair.1)
            }
        }
        footer.string(6, Self.createdBy)
        // column_orders: TYPE_ORDER for every column, so readers may use min_value/max_value
        // (byte order for strings); without it Arrow ignores string statistics.
        footer.structList(7, columns) { w, _ in w.structure(1) { _ in } }
        footer.end()
        try write(footer.bytes)
        var length = UInt32(footer.bytes.count).littleEndian
        try write(withUnsafeBytes(of: &length) { Array($0) } + Array("PAR1".utf8))
        try handle.close()
    }

    private struct ChunkMeta {
        let name: String
        let required: Bool
        let physicalType: Int32
        /// The data page's offset, and the dictionary page's before it when there is one.
        let offset: Int64
        let dictionaryOffset: Int64?
        let values: Int64
        let uncompressed: Int64
        let compressed: Int64
        let nulls: Int64
        let min: [UInt8]?
        let max: [UInt8]?
    }

    private struct RowGroupMeta {
        let chunks: [ChunkMeta]
        let rows: Int64
        let bytes: Int64
        /// Where its first column chunk starts (its dictionary page, if any).
        let start: Int64
    }

    private func flushRowGroup() throws {
        let rows = buffers[0].count
        var chunks: [ChunkMeta] = []
        var groupBytes: Int64 = 0
        for (index, column) in columns.enumerated() {
            let buffer = buffers[index]
            let start = offset
            var uncompressed: Int64 = 0
            var dictionaryOffset: Int64?
            let page: [UInt8]
            if let encoded = buffer.dictionaryEncoded() {
                // DICTIONARY_PAGE (the distinct values, PLAIN), then the data page of indices.
                dictionaryOffset = offset
                uncompressed += try writePage(encoded.dictionary, type: 2) { header in
                    header.structure(7) { d in
                        d.i32(1, Int32(encoded.entries))
                        d.i32(2, 0)   // PLAIN
                    }
                }
                page = encoded.page
            } else {
                page = buffer.pageBody()
            }
            let dataOffset = offset
            uncompressed += try writePage(page, type: 0) { header in
                header.structure(5) { d in
                    d.i32(1, Int32(rows))
                    d.i32(2, dictionaryOffset == nil ? 0 : 8)   // PLAIN or RLE_DICTIONARY
                    d.i32(3, 3)   // RLE definition levels (none are written for a REQUIRED column)
                    d.i32(4, 3)
                }
            }
            let stats = buffer.statistics()
            chunks.append(ChunkMeta(name: column.name, required: column.required, physicalType: column.physicalType, offset: dataOffset,
                                    dictionaryOffset: dictionaryOffset, values: Int64(rows), uncompressed: uncompressed, compressed: offset - start,
                                    nulls: Int64(buffer.nulls), min: stats?.min, max: stats?.max))
            groupBytes += offset - start
        }
        rowGroups.append(RowGroupMeta(chunks: chunks, rows: Int64(rows), bytes: groupBytes, start: chunks.first.map { $0.dictionaryOffset ?? $0.offset } ?? offset))
        totalRows += Int64(rows)
        buffers = columns.map { ColumnBuffer(kind: $0.kind, required: $0.required) }
    }

    /// Writes one page, compressed, after its header (`fill` adds the type's own header);
    /// returns its uncompressed size with the header.
    private func writePage(_ body: [UInt8], type: Int32, fill: (inout ThriftCompactWriter) -> Void) throws -> Int64 {
        let compressed = try codec.compress(body)
        var header = ThriftCompactWriter()
        header.beginStruct()
        header.i32(1, type)
        header.i32(2, Int32(body.count))
        header.i32(3, Int32(compressed.count))
        fill(&header)
        header.end()
        try write(header.bytes)
        try write(compressed)
        return Int64(header.bytes.count + body.count)
    }

    private func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
        offset += Int64(bytes.count)
    }
}

/// A row the Parquet writer cannot take.
public enum ParquetError: WarehouseError {
    case nullInRequiredColumn(column: String, row: Int64)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .nullInRequiredColumn(let column, let row):
            return ("row \(row) has NULL in \(column), a primary-key column declared NOT NULL (REQUIRED in Parquet)", "the table breaks its own constraint: rebuild it (`warehouse materialize --refresh`)")
        }
    }

    public var exitStatus: WarehouseExitStatus { .failed }
}

/// One value for a Parquet column.
public enum ParquetValue: Equatable, Sendable {
    case string(String)
    case double(Double)
    case int64(Int64)
    /// Days since 1970-01-01.
    case date(Int32)
}
