import CPostgres
import Foundation
import Warehouse

/// One libpq connection to a PostgreSQL server: statements with text parameters, and `COPY ...
/// FROM STDIN` fed in chunks. Not shared between threads.
public final class PostgresConnection {
    private let connection: OpaquePointer
    /// The server as messages show it (no password).
    public let target: String

    /// Connects and logs in.
    /// - Throws: `PublishError.connect` with libpq's reason.
    public init(_ target: PostgresTarget, password: String?) throws {
        self.target = target.description
        let parameters = target.connectionParameters(password: password)
        let connection: OpaquePointer? = Self.withCStrings(parameters.map(\.0)) { keywords in
            Self.withCStrings(parameters.map(\.1)) { values in PQconnectdbParams(keywords, values, 0) }
        }
        guard let connection else { throw PublishError.connect(target: target.description, message: "out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PublishError.connect(target: target.description, message: message)
        }
        self.connection = connection
        // Notices (e.g. "schema already exists, skipping") are not the user's business.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// Runs one or more statements without parameters (DDL, `BEGIN`, `COMMIT`); returns the
    /// rows the last one inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: String) throws -> Int {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs a statement with text parameters (`$1`, `$2`, ...; nil is NULL) and returns its rows,
    /// each value as PostgreSQL's text output or nil for NULL.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let result: OpaquePointer? = parameters.isEmpty ? PQexec(connection, sql) : Self.withCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        var rows: [[String?]] = []
        let count = PQntuples(result), columns = PQnfields(result)
        rows.reserveCapacity(Int(count))
        for row in 0..<count {
            rows.append((0..<columns).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return rows
    }

    /// Runs `COPY table FROM STDIN` and feeds it what `produce` appends to the buffer, chunk by
    /// chunk, until it returns false. Returns the rows the server took in.
    public func copy(_ sql: String, produce: (inout [UInt8]) throws -> Bool) throws -> Int {
        let start = PQexec(connection, sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            defer { PQclear(start) }
            try check(start, sql: sql)
            throw PublishError.statement(target: target, sql: sql, message: "the server did not start a COPY", sqlState: nil)
        }
        PQclear(start)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var failure: Error?
        do {
            var more = true
            while more {
                buffer.removeAll(keepingCapacity: true)
                more = try produce(&buffer)
                guard !buffer.isEmpty else { continue }
                let sent = buffer.withUnsafeBufferPointer { bytes in
                    bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { PQputCopyData(connection, $0, Int32(bytes.count)) }
                }
                guard sent == 1 else {
                    throw PublishError.statement(target: target, sql: sql, message: String(cString: PQerrorMessage(connection)), sqlState: nil)
                }
            }
        } catch {
            failure = error
        }
        // Ending the COPY with an error message makes the server abort it: nothing half-copied stays.
        let ended = failure == nil ? PQputCopyEnd(connection, nil) : PQputCopyEnd(connection, "the publisher stopped producing rows")
        var copied = 0
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if failure == nil, ended == 1 {
                do { try check(result, sql: sql) } catch { failure = error }
                copied += Int(String(cString: PQcmdTuples(result))) ?? 0
            }
        }
        if let failure { throw failure }
        return copied
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_EMPTY_QUERY: return
        default:
            let message = result.map { String(cString: PQresultErrorMessage($0)) } ?? String(cString: PQerrorMessage(connection))
            let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
            throw PublishError.statement(target: target, sql: sql, message: message, sqlState: state)
        }
    }

    /// C strings for libpq's arrays (NULL for nil), with a NULL after the last as keyword lists need.
    private static func withCStrings<T>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { $0.map { strdup($0) } ?? nil } + [nil]
        defer { copies.forEach { free($0) } }
        return copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Quotes an identifier for PostgreSQL (`"coin_id"`), doubling any quote inside.
func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

/// Quotes a string literal for PostgreSQL (`'text'`), doubling any quote inside.
func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
