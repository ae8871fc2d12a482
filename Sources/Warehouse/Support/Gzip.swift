import CZlib
import Foundation

/// gzip (RFC 1952) through zlib: older raw days may be stored as `.json.gz`.
public enum Gzip {
    /// Inflates a gzip stream.
    /// - Throws: `GzipError` when the data is not valid gzip.
    public static func decompress(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GzipError(message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let (output, status) = pump(data, through: &stream) { inflate(&$0, Z_NO_FLUSH) }
        guard status == Z_STREAM_END else { throw GzipError(message: "not a complete gzip stream (zlib status \(status))") }
        return output
    }

    /// Compresses to a gzip stream (Parquet pages, compressed raw bodies in tests).
    public static func compress(_ data: Data, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GzipError(message: "zlib could not start")
        }
        defer { deflateEnd(&stream) }
        return pump(data, through: &stream) { deflate(&$0, Z_FINISH) }.0
    }

    /// Feeds all of `data` through a zlib stream in 64 KiB output chunks until `step` stops returning Z_OK.
    private static func pump(_ data: Data, through stream: inout z_stream, step: (inout z_stream) -> Int32) -> (Data, Int32) {
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let status = data.withUnsafeBytes { input -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            var rc: Int32 = Z_OK
            repeat {
                rc = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let rc = step(&stream)
                    output.append(buffer.baseAddress!, count: buffer.count - Int(stream.avail_out))
                    return rc
                }
            } while rc == Z_OK
            return rc
        }
        return (output, status)
    }
}

/// A body that is not valid gzip.
public struct GzipError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "gzip: \(message)" }
}
