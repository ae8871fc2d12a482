import Foundation
import Warehouse

/// Writes staged ticks to one file in one format, a row at a time, so memory stays flat
/// whatever the window holds: SQLite (the `exchange_ticks` table of `StagedTicks.layout`, one
/// transaction, no journal left beside it), CSV (RFC 4180, a header line) or JSON (an array of
/// objects, one per line).
final class StageFileWriter {
    private enum Sink {
        case sqlite(Database, Statement)
        case csv(CSVWriter)
        case json(FileHandle)
    }

    private let sink: Sink
    private let names = StagedTicks.columnNames
    private var buffer: [UInt8] = []
    private var rows = 0

    init(path: String, format: StageRequest.Format) throws {
        switch format {
        case .sqlite:
            let database = try Database(path: path)
            try database.execute(StagedTicks.layout.createSQL(as: StagedTicks.layout.name))
            try database.execute("BEGIN")
            sink = .sqlite(database, try database.prepareInsert(into: StagedTicks.layout.name, columns: names))
        case .csv:
            sink = .csv(try CSVWriter(path: path, header: names))
        case .json:
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw StageError.unwritable(path: path, reason: "the file cannot be created")
            }
            sink = .json(handle)
            buffer = Array("[".utf8)
        }
    }

    /// Appends one row, its values in `StagedTicks.layout` order.
    func append(_ values: [SQLValue]) throws {
        switch sink {
        case .sqlite(_, let insert):
            try insert.bind(values)
            try insert.run()
        case .csv(let writer):
            try writer.append(values)
        case .json(let handle):
            var object = JSONWriter(capacity: 320)
            object.object { fields in
                for (name, value) in zip(names, values) {
                    fields.field(name) { json in
                        switch value {
                        case .null: json.null()
                        case .integer(let number): json.number(number)
                        case .real(let number): json.number(number)
                        case .text(let text): json.string(text)
                        }
                    }
                }
            }
            buffer += rows == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A]
            buffer += object.bytes
            if buffer.count > 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        rows += 1
    }

    /// Completes the file: commits and indexes the table (leaving a single file, no WAL), or
    /// flushes the text and closes it.
    func finish() throws {
        switch sink {
        case .sqlite(let database, _):
            for index in StagedTicks.layout.indexSQL { try database.execute(index) }
            try database.execute("COMMIT")
            try database.execute("PRAGMA journal_mode=DELETE")
        case .csv(let writer):
            try writer.close()
        case .json(let handle):
            buffer += Array("\n]\n".utf8)
            try handle.write(contentsOf: buffer)
            try handle.close()
        }
    }
}
