import CCrypto
import Foundation
import Warehouse

/// The primitives the bucket protocols sign with, from OpenSSL's libcrypto (as the raw
/// layer's sha256): HMAC-SHA256 for AWS Signature Version 4, RS256 for Google's service-account JWTs.
enum Crypto {
    static func hmacSHA256(key: [UInt8], _ message: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        var message = message
        message.withUTF8 { bytes in _ = HMAC(EVP_sha256(), key, Int32(key.count), bytes.baseAddress, bytes.count, &digest, &length) }
        return digest
    }

    static func sha256Hex(_ data: Data) -> String { Fingerprint.sha256(data) }

    /// Hex MD5, only to compare content with the checksums object stores list (never for security).
    static func md5Hex(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        data.withUnsafeBytes { buffer in _ = EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_md5(), nil) }
        return digest.hex
    }

    /// An RSASSA-PKCS1-v1_5 SHA-256 signature (JWT `RS256`) of `message` with a PEM private key.
    /// - Throws: `KeyError` when the PEM is not an RSA private key.
    static func rs256(_ message: Data, privateKeyPEM pem: String) throws -> Data {
        // A memory BIO reads the bytes in place: the key is parsed while they are alive.
        let parsed: OpaquePointer? = pem.withCString { text in
            guard let bio = BIO_new_mem_buf(text, -1) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key = parsed else { throw KeyError(reason: "private_key is not a PEM private key") }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { throw KeyError(reason: "out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw KeyError(reason: "the key cannot sign with SHA-256 (is it RSA?)") }
        var length = 0
        let signed: Bool = message.withUnsafeBytes { bytes in
            let base = bytes.bindMemory(to: UInt8.self).baseAddress
            guard EVP_DigestSign(context, nil, &length, base, bytes.count) == 1 else { return false }
            return true
        }
        guard signed else { throw KeyError(reason: "signing failed") }
        var signature = [UInt8](repeating: 0, count: length)
        let done: Bool = message.withUnsafeBytes { bytes in
            EVP_DigestSign(context, &signature, &length, bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count) == 1
        }
        guard done else { throw KeyError(reason: "signing failed") }
        return Data(signature.prefix(length))
    }

    struct KeyError: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}

extension Data {
    /// Base64url without padding (RFC 7515), as JWTs are written.
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// Percent-encoding as AWS and Google specify it (RFC 3986): letters, digits and `-._~` stay,
/// every other byte of the UTF-8 becomes `%XX` in upper case; `/` too unless it separates a path.
enum URIEncoding {
    static func encode(_ text: String, keepingSlashes: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `name=value&...` with both sides encoded, in the given order.
    static func query(_ items: [(String, String)]) -> String {
        items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
