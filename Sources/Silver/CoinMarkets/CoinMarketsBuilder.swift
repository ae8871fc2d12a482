import Foundation
import Warehouse

/// `silver.coin_markets`: every /coins/markets row of every snapshot day, typed.
/// One row per (snapshot_date, coin_id); a row without an id or a usable price is rejected.
enum CoinMarketsBuilder {
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

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        let columns = ["snapshot_date", "coin_id", "symbol", "name", "market_cap_rank"] + numericColumns
            + ["price_change_percentage_7d", "ath_date", "atl_date", "last_updated"]
        return SnapshotTableBuilder(context: context, dataset: SilverInputs.markets, table: table, columns: columns) { snapshot, body, _, _ in
            guard let rows = try SilverValues.document(body, expecting: "a JSON array of coins").array else {
                throw SilverParseError(message: "body is not a JSON array of coins")
            }
            var parsed = ParsedRows()
            for (index, element) in rows.enumerated() {
                guard case .object(let row) = element, case .string(let id)? = row["id"], !id.isEmpty else {
                    parsed.reject("[\(index)]", "row has no coin id")
                    continue
                }
                guard let price = row["current_price"]?.number, price > 0 else {
                    parsed.reject("[\(index)] \(id)", "current_price is \(row["current_price"]?.text ?? "null or missing"), not a positive number")
                    continue
                }
                guard let rank = SilverValues.integer(row["market_cap_rank"], in: 1...10_000_000) else {
                    parsed.reject("[\(index)] \(id)", "market_cap_rank \(row["market_cap_rank"]?.compactText.prefix(40) ?? "") is not a whole number from 1 to 10,000,000")
                    continue
                }
                let numbers: [SQLValue]
                switch SilverValues.reals(element, numericColumns + ["price_change_percentage_7d_in_currency"]) {
                case .success(let values): numbers = values
                case .failure(let field):
                    parsed.reject("[\(index)] \(id)", "\(field)")
                    continue
                }
                var values: [SQLValue] = [.text(snapshot.day.description), .text(id), (row["symbol"]?.text).sqlValue,
                                          (row["name"]?.text).sqlValue, rank]
                values += numbers
                values += [(row["ath_date"]?.text).sqlValue, (row["atl_date"]?.text).sqlValue, (row["last_updated"]?.text).sqlValue]
                parsed.add("[\(index)]", values)
            }
            return parsed
        }
    }
}
