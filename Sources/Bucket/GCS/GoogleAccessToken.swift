import Foundation
import HTTPClient
import Warehouse

/// OAuth2 access tokens for Google Cloud Storage: `GOOGLE_OAUTH_ACCESS_TOKEN` as given, or a
/// service-account key file (`GOOGLE_APPLICATION_CREDENTIALS`) whose RS256-signed JWT is
/// exchanged at the key's token endpoint, kept in memory only, and exchanged again a minute
/// before it expires.
public final class GoogleAccessToken: @unchecked Sendable {
    /// Read and write objects, nothing else.
    public static let scope = "https://www.googleapis.com/auth/devstorage.read_write"

    private enum Source {
        case fixed(String)
        case serviceAccount(ServiceAccountKey)
        case anonymous
    }

    private let source: Source
    private let location: String
    private let now: @Sendable () -> Date
    private var current: (token: String, expires: Date)?
    private let lock = NSLock()
    /// Token exchanges made (a test counts refreshes).
    public private(set) var exchanges = 0

    /// - Parameter allowAnonymous: with no credentials in the environment, send none (an
    ///   emulator on a custom endpoint); otherwise that is an error.
    /// - Throws: `SharedCacheError.credentials` when the key file is missing or malformed.
    public init(environment: [String: String], location: String, allowAnonymous: Bool, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.location = location
        self.now = now
        if let token = environment["GOOGLE_OAUTH_ACCESS_TOKEN"], !token.isEmpty {
            source = .fixed(token)
        } else if let path = environment["GOOGLE_APPLICATION_CREDENTIALS"], !path.isEmpty {
            source = .serviceAccount(try ServiceAccountKey(path: path, location: location))
        } else if allowAnonymous {
            source = .anonymous
        } else {
            throw SharedCacheError.credentials(location: location, problem: "neither GOOGLE_APPLICATION_CREDENTIALS nor GOOGLE_OAUTH_ACCESS_TOKEN is set",
                                               fix: "point GOOGLE_APPLICATION_CREDENTIALS at a service-account key file (docs/shared-cache.md#gcs)")
        }
    }

    /// The `Authorization` header value, nil for anonymous access.
    /// - Throws: `SharedCacheError` when the token endpoint refuses the key or cannot be reached.
    public func authorization() throws -> String? {
        switch source {
        case .anonymous: return nil
        case .fixed(let token): return "Bearer \(token)"
        case .serviceAccount(let key):
            lock.lock()
            defer { lock.unlock() }
            if let current, current.expires.timeIntervalSince(now()) > 60 { return "Bearer \(current.token)" }
            let fresh = try exchange(key)
            current = fresh
            exchanges += 1
            return "Bearer \(fresh.token)"
        }
    }

    /// The JWT bearer grant (RFC 7523) Google documents for service accounts.
    private func exchange(_ key: ServiceAccountKey) throws -> (token: String, expires: Date) {
        let issued = Int(now().timeIntervalSince1970)
        let header = #"{"alg":"RS256","typ":"JWT","kid":"\#(key.privateKeyID)"}"#
        let claims = try JSONSerialization.data(withJSONObject: [
            "iss": key.clientEmail, "scope": Self.scope, "aud": key.tokenURI, "iat": issued, "exp": issued + 3600,
        ], options: [.sortedKeys])
        let unsigned = Data(header.utf8).base64URL + "." + claims.base64URL
        let signature: Data
        do { signature = try Crypto.rs256(Data(unsigned.utf8), privateKeyPEM: key.privateKey) } catch {
            throw SharedCacheError.credentials(location: location, problem: "the service-account key \(key.path) cannot sign: \(error)", fix: "download a new JSON key for the service account")
        }
        let form = "grant_type=" + URIEncoding.encode("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + unsigned + "." + signature.base64URL
        let response: HTTPResponse
        do {
            response = try CurlHTTPClient(timeout: 30).send("POST", key.tokenURI, headers: ["content-type": "application/x-www-form-urlencoded"], body: Data(form.utf8))
        } catch {
            throw SharedCacheError.unreachable(location: key.tokenURI, reason: "\(error)")
        }
        guard response.status == 200, let json = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let token = json["access_token"] as? String else {
            throw SharedCacheError.credentials(location: location, problem: "the token endpoint \(key.tokenURI) refused the service account \(key.clientEmail) (HTTP \(response.status)): "
                                                + String(decoding: response.body.prefix(200), as: UTF8.self),
                                               fix: "check that the key is not revoked and the service account exists")
        }
        let seconds = (json["expires_in"] as? NSNumber)?.doubleValue ?? 3600
        return (token, now().addingTimeInterval(seconds))
    }
}

/// A service-account JSON key file as Google issues it; the private key stays in memory.
struct ServiceAccountKey: CustomStringConvertible {
    let path: String
    let clientEmail: String
    let privateKey: String
    let privateKeyID: String
    let tokenURI: String

    var description: String { "ServiceAccountKey(\(clientEmail), key redacted)" }

    init(path: String, location: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SharedCacheError.credentials(location: location, problem: "GOOGLE_APPLICATION_CREDENTIALS names \(path), which cannot be read", fix: "point it at the service-account JSON key file")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let email = json["client_email"] as? String,
              let key = json["private_key"] as? String else {
            throw SharedCacheError.credentials(location: location, problem: "\(path) is not a service-account key (client_email and private_key are required)",
                                               fix: "download a JSON key for the service account in the Google Cloud console")
        }
        clientEmail = email
        privateKey = key
        privateKeyID = json["private_key_id"] as? String ?? ""
        tokenURI = json["token_uri"] as? String ?? "https://oauth2.googleapis.com/token"
    }
}
