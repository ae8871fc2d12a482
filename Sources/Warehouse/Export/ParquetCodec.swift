import CSnappy
import CZstd
import Foundation

/// How a Parquet file's pages are compressed: ZSTD by default (smaller and faster than GZIP),
/// SNAPPY for readers that want the cheapest decode, GZIP for the oldest readers, or none.
public enum ParquetCodec: String, CaseIterable, Sendable {
    case zstd, snappy, gzip, none

    /// The codec's number in the Parquet format (`CompressionCodec`).
    var thriftValue: Int32 {
        switch self {
        case .none: return 0
        case .snappy: return 1
        case .gzip: return 2
        case .zstd: return 6
        }
    }

    /// A page's bytes compressed (zstd level 3, zlib level 6, raw snappy blocks).
    func compress(_ page: [UInt8]) throws -> [UInt8] {
        switch self {
        case .none:
            return page
        case .gzip:
            return Array(try Gzip.compress(Data(page)))
        case .zstd:
            var out = [UInt8](repeating: 0, count: ZSTD_compressBound(page.count))
            let written = page.withUnsafeBytes { source in out.withUnsafeMutableBytes { ZSTD_compress($0.baseAddress, $0.count, source.baseAddress, source.count, 3) } }
            guard ZSTD_isError(written) == 0 else { throw ParquetCodecError(codec: self, reason: String(cString: ZSTD_getErrorName(written))) }
            return Array(out.prefix(written))
        case .snappy:
            var length = snappy_max_compressed_length(page.count)
            var out = [UInt8](repeating: 0, count: length)
            let status = page.withUnsafeBytes { source in
                out.withUnsafeMutableBytes { snappy_compress(source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count, $0.baseAddress?.assumingMemoryBound(to: CChar.self), &length) }
            }
            guard status == SNAPPY_OK else { throw ParquetCodecError(codec: self, reason: "snappy status \(status.rawValue)") }
            return Array(out.prefix(length))
        }
    }
}

/// A compressor failed on a page (out of memory, in practice).
public struct ParquetCodecError: WarehouseError {
    public let codec: ParquetCodec
    public let reason: String
    public var parts: (problem: String, fix: String?) { ("\(codec.rawValue) compression of a Parquet page failed: \(reason)", "retry, or export with --compression gzip") }
    public var exitStatus: WarehouseExitStatus { .failed }
}
