import Foundation

/// A PostgreSQL database the marts are published to: `[targets.postgres] url` in
/// `warehouse.toml` or `warehouse publish --to`. The URL never carries the password, which
/// comes from `WAREHOUSE_PG_PASSWORD` (or `.env`) so it is never written in a file or a log.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    public var user: String?
    /// A host name, an address, or (`?host=/run/postgresql`) the folder of the server's socket.
    public var host: String
    public var port: Int
    public var database: String
    /// libpq connection options from the query string (`sslmode`, `connect_timeout`, ...).
    public var options: [String: String]

    /// The query-string options a URL may carry, passed to libpq as they are.
    public static let knownOptions: Set<String> = ["host", "sslmode", "sslrootcert", "connect_timeout", "application_name", "options", "target_session_attrs"]

    /// Reads `postgresql://[user@]host[:port]/database[?sslmode=require&...]`.
    /// - Throws: `ConfigurationError` naming `setting` for another scheme, a missing database,
    ///   a password in the URL, or an option libpq would not take.
    public init(url text: String, setting: String) throws {
        let fix = "write e.g. postgresql://analyst@127.0.0.1:5432/warehouse and put the password in WAREHOUSE_PG_PASSWORD"
        guard let components = URLComponents(string: text), ["postgresql", "postgres"].contains(components.scheme?.lowercased() ?? "") else {
            throw ConfigurationError(setting: setting, problem: "'\(Self.redacted(text))' is not a postgresql:// URL", fix: fix)
        }
        guard components.password == nil else {
            throw ConfigurationError(setting: setting, problem: "the URL holds a password, which would then be stored and shown",
                                     fix: "remove it from the URL and set WAREHOUSE_PG_PASSWORD (in the environment or .env) instead")
        }
        let database = components.path.split(separator: "/").map(String.init)
        guard database.count == 1, let name = database.first?.removingPercentEncoding, !name.isEmpty else {
            throw ConfigurationError(setting: setting, problem: "'\(text)' does not name one database after the host", fix: fix)
        }
        var options: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard Self.knownOptions.contains(item.name), let value = item.value, !value.isEmpty else {
                throw ConfigurationError(setting: setting, problem: "'\(item.name)' is not a connection option this URL may carry",
                                         fix: "use only \(Self.knownOptions.sorted().joined(separator: ", "))")
            }
            options[item.name] = value
        }
        let host = options.removeValue(forKey: "host") ?? components.host
        guard let host, !host.isEmpty else {
            throw ConfigurationError(setting: setting, problem: "'\(text)' names no host", fix: fix)
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw ConfigurationError(setting: setting, problem: "port \(port) is out of range", fix: fix)
        }
        self.user = components.user?.removingPercentEncoding
        self.host = host
        self.port = port
        self.database = name
        self.options = options
    }

    /// The URL without secrets, as messages and logs show it.
    public var description: String {
        let user = self.user.map { "\($0)@" } ?? ""
        let host = self.host.hasPrefix("/") ? "localhost" : self.host
        let socket = self.host.hasPrefix("/") ? "?host=\(self.host)" : ""
        return "postgresql://\(user)\(host):\(port)/\(database)\(socket)"
    }

    /// libpq's keywords and values for this target, with the password when there is one.
    public func connectionParameters(password: String?) -> [(String, String)] {
        var parameters = [("host", host), ("port", String(port)), ("dbname", database), ("application_name", "medallion-warehouse")]
        if let user { parameters.append(("user", user)) }
        if let password, !password.isEmpty { parameters.append(("password", password)) }
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            parameters.removeAll { $0.0 == key }
            parameters.append((key, value))
        }
        return parameters
    }

    /// A URL as it may be shown: a password in it replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(a URL with a password)"
    }
}

extension WarehouseSettings {
    static let postgresKeys: Set<String> = ["targets.postgres.url"]

    /// Reads `[targets.postgres] url`; returns the keys it knows.
    mutating func applyPostgres(toml document: TOMLDocument, source: String) throws -> Set<String> {
        guard let value = document.values["targets.postgres.url"] else { return Self.postgresKeys }
        guard case .string(let text) = value, !text.isEmpty else {
            throw ConfigurationError(setting: "\(source): targets.postgres.url", problem: "must be a non-empty string", fix: "quote the URL")
        }
        postgres = try PostgresTarget(url: text, setting: "\(source): targets.postgres.url")
        return Self.postgresKeys
    }
}
