import Foundation
import Warehouse

/// The endpoints the dashboards need: a coin's history and features, market segments, the
/// dashboard dataset, stock features and drift. Each reads a few known tables with bound values.
extension WarehouseAPI {
    /// Windows of a coin's history, in milliseconds back from its newest point.
    static let windows: [String: Int64] = ["24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, "1y": 365 * 86_400_000, "all": Int64.max / 4]
    /// Most points a history answers with: longer windows are thinned evenly.
    static let maxPoints = 1_000

    /// Coins of the newest markets snapshot by rank, optionally those whose id, symbol or name contains `search`.
    func coins(search: String?, limit: String?) throws -> JSONBody {
        let count = try Self.limit(limit, default: 300, max: 5_000)
        return try pool.with(.silver) { database in
            let pattern = "%" + (search ?? "").lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            let rows = try database.namedRows("""
                SELECT coin_id, symbol, name, market_cap_rank, current_price, market_cap FROM coin_markets
                WHERE snapshot_date = (SELECT max(snapshot_date) FROM coin_markets)
                  AND (lower(coin_id) LIKE ?1 OR lower(coalesce(symbol, '')) LIKE ?1 OR lower(coalesce(name, '')) LIKE ?1)
                ORDER BY market_cap DESC, coin_id LIMIT ?2
                """, [.text(pattern), .integer(Int64(count))])
            return .object([("coins", .array(rows.map { JSONBody(row: $0, columns: ["coin_id", "symbol", "name", "market_cap_rank", "current_price", "market_cap"]) }))])
        }
    }

    /// A coin's price points over a window, its daily bars with features, and its rank in the
    /// point-in-time universe.
    func coinHistory(_ coin: String, window: String?) throws -> JSONBody {
        let name = window ?? "7d"
        guard let span = Self.windows[name] else {
            throw APIError.badParameter("window", "'\(name)' is not a window", fix: "use one of 24h, 7d, 30d, 1y, all")
        }
        return try pool.with(.gold) { database in
            guard try database.tableExists("coin_prices", schema: "silver") else { throw APIError.notBuilt(pool.path(.silver)) }
            guard let newest = try database.scalar("SELECT max(ts) FROM silver.coin_prices WHERE coin_id = ?", [.text(coin)])?.int else {
                throw APIError.notFound("no prices for coin '\(coin)'", fix: "pick a coin from GET /api/v1/coins")
            }
            let start = Int64(newest) - min(span, Int64(newest))
            let total = try database.scalar("SELECT count(*) FROM silver.coin_prices WHERE coin_id = ? AND ts >= ?", [.text(coin), .integer(start)])?.int ?? 0
            let step = max(1, (total + Self.maxPoints - 1) / Self.maxPoints)
            let points = try database.namedRows("""
                SELECT ts, price, market_cap, volume FROM (
                    SELECT ts, price, market_cap, volume, ROW_NUMBER() OVER (ORDER BY ts DESC) - 1 AS back
                    FROM silver.coin_prices WHERE coin_id = ? AND ts >= ?)
                WHERE back % ? = 0 ORDER BY ts
                """, [.text(coin), .integer(start), .integer(Int64(step))])
            let startDay = Day(unixMilliseconds: start).description
            let daily = try database.tableExists("coin_daily_features") ? try database.namedRows("""
                SELECT date, open, high, low, close, volume, market_cap, return_1d, sma_20, sma_50, rsi_14, macd, macd_signal, volatility_20
                FROM coin_daily_features WHERE coin_id = ? AND date >= ? ORDER BY date
                """, [.text(coin), .text(startDay)]) : []
            let ranks = try database.tableExists("universe_membership")
                ? try database.namedRows("SELECT date, rank FROM universe_membership WHERE coin_id = ? AND date >= ? ORDER BY date", [.text(coin), .text(startDay)]) : []
            let dailyColumns = ["date", "open", "high", "low", "close", "volume", "market_cap", "return_1d", "sma_20", "sma_50", "rsi_14", "macd", "macd_signal", "volatility_20"]
            return .object([
                ("coin_id", .string(coin)), ("window", .string(name)), ("points_in_window", .integer(Int64(total))),
                ("points", .array(points.map { JSONBody(row: $0, columns: ["ts", "price", "market_cap", "volume"]) })),
                ("daily", .array(daily.map { JSONBody(row: $0, columns: dailyColumns) })),
                ("rank", .array(ranks.map { JSONBody(row: $0, columns: ["date", "rank"]) })),
            ])
        }
    }

    /// The rows of a whole (small) gold table, or 503 while it is not built.
    func goldTable(_ table: String, columns: [String], order: String) throws -> JSONBody {
        try pool.with(.gold) { database in
            guard try database.tableExists(table) else {
                throw APIError.notFound("gold.\(table) has no table yet", fix: "materialize it: warehouse materialize +gold.\(table)")
            }
            let rows = try database.namedRows("SELECT \(columns.map(Catalog.quoted).joined(separator: ", ")) FROM \(Catalog.quoted(table)) ORDER BY \(order)")
            return .object([(table, .array(rows.map { JSONBody(row: $0, columns: columns) }))])
        }
    }

    func analytics() throws -> JSONBody {
        try goldTable("crypto_analytics_mart", columns: ["rank", "coin_id", "symbol", "name", "snapshot_date", "price", "market_cap", "market_cap_category",
                                                         "total_volume", "change_24h_pct", "change_7d_pct", "volatility_30d"], order: "rank")
    }

    func segments() throws -> JSONBody {
        try goldTable("market_segment_analysis", columns: ["market_cap_category", "coin_count", "total_market_cap", "market_share_pct", "avg_change_24h_pct",
                                                           "avg_change_7d_pct", "avg_volatility_30d", "total_volume", "snapshot_date"],
                      order: "total_market_cap DESC")
    }

    /// The dashboard dataset of one canonical asset, by date.
    func dashboard(_ canonical: String) throws -> JSONBody {
        try pool.with(.gold) { database in
            guard try database.tableExists("dashboard_dataset") else {
                throw APIError.notFound("gold.dashboard_dataset has no table yet", fix: "materialize it: warehouse materialize +gold.dashboard_dataset")
            }
            let columns = ["date", "canonical_id", "close", "volume", "market_cap", "chain_tvl", "protocol_tvl", "dex_volume", "lc_galaxy_score", "lc_sentiment"]
            let rows = try database.namedRows("SELECT \(columns.joined(separator: ", ")) FROM dashboard_dataset WHERE canonical_id = ? ORDER BY date", [.text(canonical)])
            guard !rows.isEmpty else {
                throw APIError.notFound("'\(canonical)' is not in the dashboard dataset", fix: "pick a canonical_id from GET /api/v1/latest/gold.dashboard_dataset")
            }
            return .object([("canonical_id", .string(canonical)), ("rows", .array(rows.map { JSONBody(row: $0, columns: columns) }))])
        }
    }

    /// The tickers of the stock features with their newest day.
    func stocks() throws -> JSONBody {
        try pool.with(.gold) { database in
            guard try database.tableExists("stock_features") else {
                throw APIError.notFound("gold.stock_features has no table yet", fix: "materialize it: warehouse materialize +gold.stock_features")
            }
            let rows = try database.namedRows("""
                SELECT ticker, currency, max(date) AS last_date, count(*) AS days FROM stock_features GROUP BY ticker, currency ORDER BY ticker
                """)
            return .object([("stocks", .array(rows.map { JSONBody(row: $0, columns: ["ticker", "currency", "last_date", "days"]) }))])
        }
    }

    /// A ticker's stock features by date.
    func stock(_ ticker: String) throws -> JSONBody {
        try pool.with(.gold) { database in
            guard try database.tableExists("stock_features") else {
                throw APIError.notFound("gold.stock_features has no table yet", fix: "materialize it: warehouse materialize +gold.stock_features")
            }
            let columns = ["date", "currency", "close_usd", "close_inr", "usd_inr_rate", "volume", "return_1d", "sma_20", "sma_50", "rsi_14", "macd", "macd_signal", "volatility_20"]
            let rows = try database.namedRows("SELECT \(columns.joined(separator: ", ")) FROM stock_features WHERE ticker = ? ORDER BY date", [.text(ticker)])
            guard !rows.isEmpty else { throw APIError.notFound("no stock features for '\(ticker)'", fix: "pick a ticker from GET /api/v1/stocks") }
            return .object([("ticker", .string(ticker)), ("rows", .array(rows.map { JSONBody(row: $0, columns: columns) }))])
        }
    }

    /// Feature drift per run and feature, oldest run first.
    func drift() throws -> JSONBody {
        try goldTable("feature_drift", columns: ["run_id", "sequence", "computed_at", "feature", "ks_stat", "p_value", "drifted", "alpha", "baseline_id",
                                                 "window_start", "window_end", "current_values", "baseline_values"], order: "sequence, feature")
    }

    /// Which exchange marts are built, and the latest day of exchange KPIs when they are.
    func exchanges() throws -> JSONBody {
        let marts = ["exchange_kpis", "cross_exchange_spreads", "price_forecasts"]
        let built = try pool.exists(.gold) ? pool.with(.gold) { database in try marts.filter { try database.tableExists($0) } } : []
        guard !built.isEmpty else {
            throw APIError.notFound("the exchange marts (gold.exchange_kpis, gold.cross_exchange_spreads, gold.price_forecasts) are not built",
                                    fix: "they come with the exchange market-quality pipeline (warehouse collect)")
        }
        var fields: [(String, JSONBody)] = [("marts", .array(built.map { JSONBody.string("gold.\($0)") }))]
        if built.contains("exchange_kpis") {
            let columns = ["exchange", "symbol", "date", "messages", "updates_per_minute", "interarrival_p50_ms", "latency_source", "latency_p50_ms",
                           "latency_p95_ms", "disconnects", "downtime_seconds", "share_covered"]
            let rows = try pool.with(.gold) { database in
                try database.namedRows("SELECT \(columns.joined(separator: ", ")) FROM exchange_kpis WHERE date = (SELECT max(date) FROM exchange_kpis) ORDER BY exchange, symbol")
            }
            fields.append(("kpis", .array(rows.map { JSONBody(row: $0, columns: columns) })))
        }
        return .object(fields)
    }
}
