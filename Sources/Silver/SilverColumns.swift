/// What each column of the silver tables means: the API's schemas, the docs and BI tools
/// (`warehouse docs --datasette`) show these.
enum SilverColumns {
    static let rawFile = ["raw_file_id": "the raw snapshot the row came from: _raw_files.raw_file_id"]

    static let coinMarkets: [String: String] = rawFile.merging([
        "snapshot_date": "UTC day of the /coins/markets snapshot (YYYY-MM-DD)", "coin_id": "CoinGecko coin id", "symbol": "ticker symbol",
        "name": "coin name", "market_cap_rank": "rank by market cap in that snapshot", "current_price": "price in USD",
        "market_cap": "market capitalisation in USD", "fully_diluted_valuation": "price x max supply, USD", "total_volume": "24h traded volume, USD",
        "high_24h": "24h high, USD", "low_24h": "24h low, USD", "price_change_24h": "24h price change, USD",
        "price_change_percentage_24h": "24h price change, percent", "market_cap_change_24h": "24h market cap change, USD",
        "market_cap_change_percentage_24h": "24h market cap change, percent", "circulating_supply": "coins in circulation",
        "total_supply": "coins in existence", "max_supply": "most coins there will ever be (NULL: no cap)", "ath": "all-time high, USD",
        "ath_change_percentage": "distance from the all-time high, percent", "atl": "all-time low, USD",
        "atl_change_percentage": "distance from the all-time low, percent", "price_change_percentage_7d": "7-day price change, percent",
        "ath_date": "time of the all-time high (ISO 8601)", "atl_date": "time of the all-time low (ISO 8601)", "last_updated": "CoinGecko's update time (ISO 8601)",
    ]) { $1 }

    static let coinPrices: [String: String] = rawFile.merging([
        "coin_id": "CoinGecko coin id", "ts": "time of the point, Unix milliseconds UTC", "price": "price in USD",
        "market_cap": "market cap in USD (NULL when missing)", "volume": "24h volume in USD at that time (NULL when missing)",
    ]) { $1 }

    static let coinOHLC: [String: String] = rawFile.merging([
        "coin_id": "CoinGecko coin id", "ts": "candle close time, Unix milliseconds UTC", "open": "open, USD", "high": "high, USD", "low": "low, USD", "close": "close, USD",
    ]) { $1 }

    static let assetMap: [String: String] = [
        "coin_id": "CoinGecko coin id", "canonical_id": "the native asset it stands for (wrapped and bridged tokens map to their native coin)",
        "is_native": "1 when the coin is its own canonical asset", "source": "where the mapping came from: coins_list, reviewed or user",
    ]

    static func tvl(entity: String, of what: String) -> [String: String] {
        rawFile.merging([entity: what, "date": "UTC day (YYYY-MM-DD)", "tvl": "total value locked, USD", "coin_id": "the CoinGecko coin linked by DeFi Llama's gecko_id"]) { $1 }
    }

    static let protocolTVL = tvl(entity: "protocol", of: "DeFi Llama protocol slug").merging(["category": "DeFi Llama category (Lending, Dexes, ...)"]) { $1 }

    static let dexVolume: [String: String] = rawFile.merging([
        "protocol": "DeFi Llama DEX slug", "date": "UTC day (YYYY-MM-DD)", "volume": "traded volume that day, USD", "coin_id": "the DEX's CoinGecko coin",
    ]) { $1 }

    static let socialMetrics: [String: String] = rawFile.merging([
        "coin_id": "CoinGecko coin id", "date": "UTC day (YYYY-MM-DD); the day's last bucket", "galaxy_score": "LunarCrush Galaxy Score, 0 to 100",
        "sentiment": "share of positive posts, 0 to 100", "social_dominance": "share of all crypto social volume, percent",
        "alt_rank": "LunarCrush AltRank (1 is best)", "interactions": "social interactions that day",
    ]) { $1 }

    static let stockPrices: [String: String] = rawFile.merging([
        "ticker": "Yahoo ticker", "date": "the exchange's local trading date (YYYY-MM-DD)", "open": "open in the listing's currency",
        "high": "high", "low": "low", "close": "close", "adj_close": "close adjusted for splits and dividends", "volume": "shares traded",
        "currency": "the listing's currency (USD, INR, EUR, ...)", "outlier": "1 when the day's return is a robust z-score outlier (kept, flagged)",
    ]) { $1 }

    static let fxRates: [String: String] = rawFile.merging([
        "pair": "currency pair (USDINR from USDINR=X)", "date": "London trading date (YYYY-MM-DD)", "open": "open", "high": "high", "low": "low", "rate": "close rate",
    ]) { $1 }

    static let exchangeTicks: [String: String] = rawFile.merging([
        "exchange": "binance, kraken or coinbase", "symbol": "normalised BASE/QUOTE (a Kraken venue suffix kept)", "base": "base asset",
        "quote": "quote asset", "bid": "best bid", "ask": "best ask", "last": "last trade price", "volume": "24h volume in the base asset",
        "exchange_ts": "the exchange's own time, Unix milliseconds (NULL where the API gives none)", "received_ts": "when the poll was received, Unix milliseconds",
    ]) { $1 }
}
