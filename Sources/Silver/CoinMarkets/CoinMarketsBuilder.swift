import Foundation
import Warehouse

/// Builds `silver.coin_markets`: every /coins/markets row of every snapshot day, typed.
/// One row per (snapshot_date, coin_id); a row without an id or a usable price is rejected.
struct CoinMarketsBuilder {
    let context: BuildContext

    static let numericColumns = [
        "current_price", "market_cap", "fully_diluted_valuation", "total_volume", "high_24h", "low_24h",
        "price_change_24h", "price_change_percentage_24h", "market_cap_change_24h", "market_cap_change_percentage_24h",
        "circulating_supply", "total_supply", "max_supply", "ath", "ath_change_percentage", "atl", "atl_change_percentage",
    ]

    static let table = TableRebuild(
        table: "coin_markets",
        create: { name in
            """
            CREATE TABLE \(name) (
                snapshot_date TEXT NOT NULL,
                coin_id TEXT NOT NULL,
                symbol TEXT,
                name TEXT,
                market_cap_rank INTEGER,
                \(numericColumns.map { "\($0) REAL" }.joined(separator: ",\n    "))
                ,price_change_percentage_7d REAL,
                ath_date TEXT,
                atl_date TEXT,
                last_updated TEXT,
                raw_file_id INTEGER NOT NULL,
                PRIMARY KEY (snapshot_date, coin_id)
            )
            """
        },
        indexes: ["CREATE INDEX coin_markets_coin ON coin_markets(coin_id, snapshot_date)"])

    func build() throws -> BuildOutcome {
        let database = try SilverDatabase.open(context)
        let store = context.raw
        var rejects = RejectLog(asset: context.key)
        let columns = ["snapshot_date", "coin_id", "symbol", "name", "market_cap_rank"] + Self.numericColumns
            + ["price_change_percentage_7d", "ath_date", "atl_date", "last_updated", "raw_file_id"]
        let rows = try Self.table.run(in: database, fill: { name -> Int in
            let insert = try database.prepare("INSERT OR IGNORE INTO \(name)(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
            var inserted = 0
            for snapshot in try store.snapshots(of: SilverInputs.markets) {
                let file = snapshot.relativePath
                let rows: [JSONValue]
                do {
                    guard let list = try JSONValue.parse(try store.body(of: snapshot)).array else {
                        rejects.add(file: file, locator: "file", reason: "body is not a JSON array of coins")
                        continue
                    }
                    rows = list
                } catch {
                    rejects.add(file: file, locator: "file", reason: "\(error)")
                    continue
                }
                let fileID = try SilverDatabase.rawFileID(database, path: file, meta: try? store.meta(of: snapshot))
                for (index, element) in rows.enumerated() {
                    guard case .object(let row) = element, case .string(let id)? = row["id"], !id.isEmpty else {
                        rejects.add(file: file, locator: "[\(index)]", reason: "row has no coin id")
                        continue
                    }
                    guard let price = row["current_price"]?.number, price > 0 else {
                        rejects.add(file: file, locator: "[\(index)] \(id)", reason: "current_price is \(row["current_price"]?.text ?? "null or missing"), not a positive number")
                        continue
                    }
                    var values: [SQLValue] = [.text(snapshot.day.description), .text(id), (row["symbol"]?.text).sqlValue,
                                              (row["name"]?.text).sqlValue,
                                              row["market_cap_rank"]?.number.map { .integer(Int64($0)) } ?? .null]
                    values += Self.numericColumns.map { $0 == "current_price" ? .real(price) : (row[$0]?.number).sqlValue }
                    values += [(row["price_change_percentage_7d_in_currency"]?.number).sqlValue,
                               (row["ath_date"]?.text).sqlValue, (row["atl_date"]?.text).sqlValue,
                               (row["last_updated"]?.text).sqlValue, .integer(fileID)]
                    try insert.bind(values)
                    try insert.run()
                    inserted += database.changes
                }
            }
            return inserted
        }, finish: { rows in
            try rejects.write(to: database)
            try context.record(in: database, rows: rows, rejects: rejects.count)
        })
        return BuildOutcome(rows: rows, rejects: rejects.count, recorded: true)
    }
}
