import CCrypto
import Foundation

/// An incremental SHA-256 over a sequence of parts, each separated so ("ab","c") != ("a","bc").
public struct Fingerprint {
    private let context: OpaquePointer

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    public mutating func add(_ part: String) {
        var part = part
        part.withUTF8 { buffer in _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) }
        var separator: UInt8 = 0x1F
        _ = EVP_DigestUpdate(context, &separator, 1)
    }

    /// Adds raw bytes as they are, with no separator: the caller frames them (a length, a tag).
    public mutating func add(bytes: UnsafeRawBufferPointer) {
        _ = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
    }

    /// The lowercase hex digest; the fingerprint cannot be extended afterwards.
    public mutating func finish() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        EVP_MD_CTX_free(context)
        return digest.hex
    }

    /// Hex SHA-256 of raw bytes.
    public static func sha256(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        data.withUnsafeBytes { buffer in _ = EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha256(), nil) }
        return digest.hex
    }

    /// Hex SHA-256 of a string's UTF-8.
    public static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal, two digits per byte.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(count * 2)
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
