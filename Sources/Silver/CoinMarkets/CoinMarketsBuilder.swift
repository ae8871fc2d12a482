import Foundation
import Warehouse

/// `silver.coin_markets`: every /coins/markets row of every snapshot day, typed.
/// One row per (snapshot_date, coin_id); a row without an id or a usable price is rejected.
enum CoinMarketsBuilder {
    /// The numbers of a /coins/markets row, as the API names them, with what they mean.
    static let numericColumns: [(name: String, description: String)] = [
        ("current_price", "price in USD"), ("market_cap", "market capitalisation in USD"), ("fully_diluted_valuation", "price x max supply, USD"),
        ("total_volume", "24h traded volume, USD"), ("high_24h", "24h high, USD"), ("low_24h", "24h low, USD"),
        ("price_change_24h", "24h price change, USD"), ("price_change_percentage_24h", "24h price change, percent"),
        ("market_cap_change_24h", "24h market cap change, USD"), ("market_cap_change_percentage_24h", "24h market cap change, percent"),
        ("circulating_supply", "coins in circulation"), ("total_supply", "coins in existence"), ("max_supply", "most coins there will ever be (NULL: no cap)"),
        ("ath", "all-time high, USD"), ("ath_change_percentage", "distance from the all-time high, percent"), ("atl", "all-time low, USD"),
        ("atl_change_percentage", "distance from the all-time low, percent"),
    ]

    static let layout = TableLayout("coin_markets", [
        .init("snapshot_date", .text, notNull: true, "UTC day of the /coins/markets snapshot (YYYY-MM-DD)"),
        .init("coin_id", .text, notNull: true, "CoinGecko coin id"),
        .init("symbol", .text, "ticker symbol"),
        .init("name", .text, "coin name"),
        .init("market_cap_rank", .integer, "rank by market cap in that snapshot"),
    ] + numericColumns.map { TableLayout.Column($0.name, .real, $0.description) } + [
        .init("price_change_percentage_7d", .real, "7-day price change, percent"),
        .init("ath_date", .text, "time of the all-time high (ISO 8601)"),
        .init("atl_date", .text, "time of the all-time low (ISO 8601)"),
        .init("last_updated", .text, "CoinGecko's update time (ISO 8601)"),
        .rawFile,
    ], primaryKey: ["snapshot_date", "coin_id"], indexes: [.init("coin_markets_coin", on: ["coin_id", "snapshot_date"])])

    static func builder(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.markets, layout: layout) { snapshot, body, _, _ in
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
                switch SilverValues.reals(element, numericColumns.map(\.name) + ["price_change_percentage_7d_in_currency"]) {
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
