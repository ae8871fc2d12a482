import Foundation
import Warehouse

/// An AWS access key, from the environment or a shared credentials file; never written anywhere.
public struct S3Credentials: Sendable, CustomStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The key id only: the secret never reaches a log.
    public var description: String { "S3Credentials(\(accessKeyID), secret redacted)" }

    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`), else the
    /// profile (`profile`, `AWS_PROFILE`, `default`) of `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
    /// - Throws: `SharedCacheError.credentials` saying what to set.
    public static func resolve(profile: String?, environment: [String: String], location: String) throws -> S3Credentials {
        if let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
                throw SharedCacheError.credentials(location: location, problem: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
                                                   fix: "set AWS_SECRET_ACCESS_KEY too (or use a profile in ~/.aws/credentials)")
            }
            return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        }
        let name = profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let file = environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.aws/credentials")
        let sections = (try? String(contentsOfFile: file, encoding: .utf8)).map(INIFile.sections) ?? [:]
        guard let section = sections[name], let id = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
            throw SharedCacheError.credentials(location: location, problem: "AWS_ACCESS_KEY_ID is not set and \(file) has no profile [\(name)] with aws_access_key_id and aws_secret_access_key",
                                               fix: "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add the profile (docs/shared-cache.md)")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: section["aws_session_token"])
    }

    /// The region: `[raw.remote] region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's in
    /// `AWS_CONFIG_FILE` or `~/.aws/config`, else us-east-1.
    public static func region(configured: String?, profile: String?, environment: [String: String]) -> String {
        if let configured { return configured }
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] { if let region = environment[variable], !region.isEmpty { return region } }
        let name = profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let file = environment["AWS_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.aws/config")
        let sections = (try? String(contentsOfFile: file, encoding: .utf8)).map(INIFile.sections) ?? [:]
        return sections[name == "default" ? "default" : "profile \(name)"]?["region"] ?? "us-east-1"
    }
}

/// The INI files AWS tools share: `[section]` and `key = value` lines, `#` and `;` comments.
enum INIFile {
    static func sections(_ text: String) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            result[current, default: [:]][line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
