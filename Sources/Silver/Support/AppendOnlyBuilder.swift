import Foundation
import Warehouse

/// Builds a table whose rows each belong to one raw file (stream segments, ticker polls):
/// no key spans files, so a new file only adds rows. `_consumed_files` remembers the files
/// the table holds; while each of them is still there with the same body, a build parses only
/// the new files and appends their rows in one transaction, which is what a rebuild from all
/// of bronze would give. Anything else (a file gone or changed, a new version, `--refresh`)
/// rebuilds the table whole, aside, and swaps it in. A segment compressed later
/// (`.jsonl` -> `.jsonl.gz`) is the same file.
struct AppendOnlyBuilder {
    let context: BuildContext
    let layout: TableLayout
    /// Every file the table is built from, in the order rows are added.
    let sources: [SnapshotSource]
    /// The rows of one file (values for `layout.filledColumns`; `raw_file_id` is appended).
    let parse: (SnapshotSource, Data) throws -> ParsedRows

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let reader = try SnapshotReader(database: database, store: context.raw)
        let consumed = ConsumedFiles(database: database, asset: context.key)
        let table = TableRebuild(layout)
        if let fresh = try newSourcesOnly(database: database, consumed: consumed, reader: reader) {
            var rejects = RejectLog(asset: context.key, replacing: false)
            let before = try database.scalar("SELECT count(*) FROM \(table.table)")?.int ?? 0
            let (rows, rejected) = try database.transaction { () -> (Int, Int) in
                _ = try insert(fresh, into: table.table, database: database, reader: reader, rejects: &rejects)
                try rejects.write(to: database)
                try consumed.add(fresh.lazy.map { (path: Self.identity($0), sha256: reader.digest(of: $0)) })
                try reader.save()
                return try SilverDatabase.recordAppend(database, table: table.table, context: context)
            }
            return BuildOutcome(rows: rows, rowsWritten: rows - before, rejects: rejected, recorded: true)
        }
        var rejects = RejectLog(asset: context.key)
        let rows = try table.run(in: database, fill: { name in
            try insert(sources, into: name, database: database, reader: reader, rejects: &rejects)
        }, finish: { rows in
            try rejects.write(to: database)
            try consumed.replace(with: sources.lazy.map { (path: Self.identity($0), sha256: reader.digest(of: $0)) })
            try reader.save()
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }

    /// A file's identity across compression: its path without `.gz`.
    static func identity(_ source: SnapshotSource) -> String {
        let path = source.snapshot.relativePath
        return path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
    }

    /// The files the table does not hold yet, or nil when it must be rebuilt.
    private func newSourcesOnly(database: Database, consumed: ConsumedFiles, reader: SnapshotReader) throws -> [SnapshotSource]? {
        guard try context.mayExtend(layout.name, in: database) else { return nil }
        let seen = try consumed.load()
        var stillThere = 0
        var fresh: [SnapshotSource] = []
        for source in sources {
            guard let digest = seen[Self.identity(source)] else { fresh.append(source); continue }
            guard let now = reader.digest(of: source), digest == now else { return nil }
            stillThere += 1
        }
        return stillThere == seen.count ? fresh : nil
    }

    /// Parses files on two more threads and inserts their rows in file order, and their rejects;
    /// a file that does not parse is rejected whole. Call inside the build's transaction.
    private func insert(_ files: [SnapshotSource], into table: String, database: Database, reader: SnapshotReader, rejects: inout RejectLog) throws -> Int {
        let columns = layout.filledColumns + [TableLayout.Column.rawFile.name]
        let statement = try database.prepareInsert(into: table, columns: columns, or: "IGNORE")
        var inserted = 0
        var done = 0
        try OrderedPipeline.run(files, producers: 2, produce: { source -> Result<ParsedRows, Error> in
            Result { try parse(source, try reader.body(of: source)) }
        }, consume: { source, result in
            let file = source.snapshot.relativePath
            done += 1
            switch result {
            case .failure(let error):
                rejects.add(file: file, locator: "file", reason: "\(error)")
            case .success(let parsed):
                let fileID = try SilverDatabase.rawFileID(database, path: file, meta: source.meta)
                let fileColumn = Int32(columns.count)
                for index in 0..<parsed.count {
                    try statement.bind(parsed.values(of: index))
                    statement.bind(fileID, at: fileColumn)
                    try statement.run()
                    if database.changes == 1 { inserted += 1 } else { rejects.add(file: file, locator: parsed.locators[index].description, reason: "duplicate of an earlier row of the same line") }
                }
                for reject in parsed.rejects { rejects.add(file: file, locator: reject.locator, reason: reject.reason, rule: reject.rule) }
            }
            try rejects.write(to: database)
            if done % 20 == 0 { context.progress(done, files.count) }
        })
        return inserted
    }
}
