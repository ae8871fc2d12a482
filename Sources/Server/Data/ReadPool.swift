import Foundation
import Warehouse

/// Read-only connections to a root's databases, a few per file, each lent to one request at a
/// time. `query_only` on top of the read-only open: nothing the API runs can write. With WAL a
/// running build never blocks them, they never block it, and they see a table before or after
/// its swap, never half. gold.sqlite connections have silver attached as `silver`.
final class ReadPool: @unchecked Sendable {
    enum File: Hashable, Sendable {
        case silver, gold, runLog
    }

    let layout: WarehouseLayout
    private let size: Int
    private var idle: [File: [Database]] = [:]
    private var open: [File: Int] = [:]
    private let lock = NSCondition()

    init(layout: WarehouseLayout, size: Int = 4) {
        self.layout = layout
        self.size = size
    }

    func path(_ file: File) -> String {
        switch file {
        case .silver: return layout.silverDatabase.path
        case .gold: return layout.goldDatabase.path
        case .runLog: return layout.runLogDatabase.path
        }
    }

    /// Whether the file exists (nothing built there yet otherwise).
    func exists(_ file: File) -> Bool { FileManager.default.fileExists(atPath: path(file)) }

    /// Runs `body` with a connection to `file`.
    /// - Throws: `APIError.notBuilt` (503) while the file does not exist, or what `body` throws.
    func with<T>(_ file: File, _ body: (Database) throws -> T) throws -> T {
        let database = try borrow(file)
        defer { give(database, back: file) }
        return try body(database)
    }

    private func borrow(_ file: File) throws -> Database {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let database = idle[file]?.popLast() { return database }
            if open[file, default: 0] < size { break }
            lock.wait()
        }
        open[file, default: 0] += 1
        do {
            return try connect(file)
        } catch {
            open[file, default: 0] -= 1
            lock.signal()
            throw error
        }
    }

    private func give(_ database: Database, back file: File) {
        lock.lock()
        idle[file, default: []].append(database)
        lock.signal()
        lock.unlock()
    }

    private func connect(_ file: File) throws -> Database {
        guard exists(file) else { throw APIError.notBuilt(path(file)) }
        let database = try Database(path: path(file), readOnly: true, busyTimeoutMilliseconds: 5_000)
        try database.execute("PRAGMA query_only=1")
        if file == .gold, exists(.silver) { try database.attach(path(.silver), as: "silver") }
        return database
    }
}
