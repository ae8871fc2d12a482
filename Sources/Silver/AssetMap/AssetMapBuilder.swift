import Foundation
import Warehouse

/// `silver.asset_map`: every coin mapped to its canonical (native) asset, so marts can merge
/// wrapped and bridged tokens into it. Three sources, later ones winning:
/// 1. what the coin list reveals: a coin named "Wrapped X" or "Bridged X" whose X is another
///    coin's name maps to that coin;
/// 2. the reviewed map shipped with the product (`data/reference/asset_map.csv`);
/// 3. the user's additions and corrections in `ROOT/asset_map.csv` (same columns).
/// Every other coin maps to itself.
enum AssetMapBuilder {
    static let layout = TableLayout("asset_map", [
        .init("coin_id", .text, notNull: true, "CoinGecko coin id"),
        .init("canonical_id", .text, notNull: true, "the native asset it stands for (wrapped and bridged tokens map to their native coin)"),
        .init("is_native", .integer, notNull: true, "1 when the coin is its own canonical asset"),
        .init("source", .text, notNull: true, "where the mapping came from: coins_list, reviewed or user"),
    ], primaryKey: ["coin_id"], indexes: [.init("asset_map_canonical", on: ["canonical_id"])], withoutRowID: true)

    static let table = TableRebuild(layout)

    static var reviewed: String { String(decoding: PackageResources.asset_map_csv, as: UTF8.self) }

    static func userFile(_ layout: WarehouseLayout) -> URL { layout.root.appendingPathComponent("asset_map.csv") }

    static func build(_ context: BuildContext) throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let reader = try SnapshotReader(database: database, store: context.raw)
        var rejects = RejectLog(asset: context.key)
        var mapping: [String: (String, String)] = [:]
        var names: [String: String] = [:]
        if let list = try ReferenceSnapshot.newest("active", of: SilverInputs.coinsList, store: context.raw, reader: reader, rejects: &rejects) {
            let coins = (list.array ?? []).compactMap { coin -> (String, String)? in
                guard let id = coin["id"]?.text, let name = coin["name"]?.text else { return nil }
                return (id, name)
            }
            for (id, name) in coins { names[name.lowercased()] = names[name.lowercased()] ?? id }
            for (id, name) in coins {
                mapping[id] = (id, "coins_list")
                for prefix in ["wrapped ", "bridged "] where name.lowercased().hasPrefix(prefix) {
                    if let native = names[String(name.lowercased().dropFirst(prefix.count))], native != id { mapping[id] = (native, "coins_list") }
                }
            }
        }
        for (source, text, file) in [("reviewed", reviewed, "data/reference/asset_map.csv"),
                                     ("user", (try? String(contentsOf: userFile(context.layout), encoding: .utf8)) ?? "", userFile(context.layout).path)] {
            for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() where number > 0 {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                    rejects.add(file: file, locator: "line \(number + 1)", reason: "expected coin_id,canonical_id[,note]")
                    continue
                }
                mapping[fields[0]] = (fields[1], source)
            }
        }
        let rows = try table.run(in: database, fill: { name -> Int in
            let insert = try database.prepare("INSERT INTO \(name)(coin_id, canonical_id, is_native, source) VALUES (?, ?, ?, ?)")
            for coin in mapping.keys.sorted() {
                let (canonical, source) = mapping[coin]!
                try insert.bind([.text(coin), .text(canonical), .integer(coin == canonical ? 1 : 0), .text(source)])
                try insert.run()
            }
            return mapping.count
        }, finish: { rows in
            try rejects.write(to: database)
            try reader.save()
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }
}
