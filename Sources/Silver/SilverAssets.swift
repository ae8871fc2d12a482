import Foundation
import Warehouse

/// The silver assets: typed, validated staging tables in silver.sqlite built from raw files.
public enum SilverAssets {
    public static let coinMarkets = AssetKey(.silver, "coin_markets")
    public static let coinPrices = AssetKey(.silver, "coin_prices")
    public static let coinOHLC = AssetKey(.silver, "coin_ohlc")
    public static let chainTVL = AssetKey(.silver, "chain_tvl")
    public static let protocolTVL = AssetKey(.silver, "protocol_tvl")
    public static let dexVolume = AssetKey(.silver, "dex_volume")
    public static let socialMetrics = AssetKey(.silver, "social_metrics")
    public static let stockPrices = AssetKey(.silver, "stock_prices")
    public static let fxRates = AssetKey(.silver, "fx_rates")
    public static let exchangeTicks = AssetKey(.silver, "exchange_ticks")
    public static let exchangeConnections = AssetKey(.silver, "exchange_connections")
    public static let exchangeGaps = AssetKey(.silver, "exchange_gaps")
    public static let exchangeOutliers = AssetKey(.silver, "exchange_outliers")
    public static let assetMap = AssetKey(.silver, "asset_map")

    /// Brings an existing silver.sqlite's bookkeeping tables up to this version's schema (the
    /// migrations a build would run), so a reader that only reads finds them; no table is rebuilt.
    public static func upgrade(_ layout: WarehouseLayout) throws {
        guard FileManager.default.fileExists(atPath: layout.silverDatabase.path) else { return }
        let database = try Database(path: layout.silverDatabase.path)
        try MaterializationLog.prepare(database)
        try SilverDatabase.migrator.migrate(database)
        try ChangeLog.prepare(database)
    }

    /// - Parameter settings: used for the stock outlier threshold.
    public static func specs(settings: WarehouseSettings = WarehouseSettings()) -> [AssetSpec] {
        let venues = settings.exchanges
        // The venues' stream segments, as bronze names them (`bronze.binance_ws_ticker`).
        let streams = venues.map { AssetKey(.bronze, "\($0)_\(StreamSegment.tickerDataset)") }
        return [
            spec(coinMarkets, layout: CoinMarketsBuilder.layout, from: "coingecko_markets", reads: SilverInputs.markets, tags: ["crypto"], version: "coin-markets-3",
                 summary: "Every /coins/markets row per snapshot day, typed (price, market cap, rank, 24h/7d change)",
                 checks: [AssetCheck("price_positive", .range(column: "current_price", min: 0, max: nil)),
                          AssetCheck("market_cap_not_negative", .range(column: "market_cap", min: 0, max: nil)),
                          AssetCheck("fresh_snapshot", .freshness(column: "snapshot_date", days: 2), severity: .warn)]) {
                try CoinMarketsBuilder.builder($0).build()
            },
            spec(coinPrices, layout: CoinPricesBuilder.layout, from: "coingecko_market_chart", reads: SilverInputs.marketChart, tags: ["crypto"], version: "coin-prices-2",
                 summary: "Price, market cap and volume per coin and timestamp, newest snapshot wins",
                 checks: [AssetCheck("price_not_null", .notNull(["price"])),
                          AssetCheck("market_cap_not_negative", .range(column: "market_cap", min: 0, max: nil)),
                          AssetCheck("volume_not_negative", .range(column: "volume", min: 0, max: nil))],
                 changes: ChangeScope(entity: "coin_id", since: "ts", unit: .unixMilliseconds)) {
                try CoinPricesBuilder(context: $0).build()
            },
            spec(coinOHLC, layout: CoinOHLCBuilder.layout, from: "coingecko_ohlc", reads: SilverInputs.ohlc, tags: ["crypto"], version: "coin-ohlc-2",
                 summary: "OHLC candles per coin and close time", checks: [ohlcRules]) { try CoinOHLCBuilder.builder($0).build() },
            spec(chainTVL, layout: DefiLlamaBuilders.chainTVLLayout, from: "defillama_chain_tvl", reads: SilverInputs.chainTVL, tags: ["defi"], version: "chain-tvl-2",
                 summary: "Daily TVL per chain, linked to the chain's coin",
                 checks: [AssetCheck("tvl_not_negative", .range(column: "tvl", min: 0, max: nil)),
                          AssetCheck("fresh", .freshness(column: "date", days: 3), severity: .warn)]) { try DefiLlamaBuilders.chainTVL($0).build() },
            spec(protocolTVL, layout: DefiLlamaBuilders.protocolTVLLayout, from: "defillama_protocol_tvl", reads: SilverInputs.protocolTVL, tags: ["defi"], version: "protocol-tvl-2",
                 summary: "Daily TVL per DeFi protocol, with its category and coin",
                 checks: [AssetCheck("tvl_not_negative", .range(column: "tvl", min: 0, max: nil)),
                          AssetCheck("fresh", .freshness(column: "date", days: 3), severity: .warn)]) { try DefiLlamaBuilders.protocolTVL($0).build() },
            spec(dexVolume, layout: DefiLlamaBuilders.dexVolumeLayout, from: "defillama_dex_volume", reads: SilverInputs.dexVolume, tags: ["defi"], version: "dex-volume-2",
                 summary: "Daily traded volume per DEX, with its coin", checks: [AssetCheck("volume_not_negative", .range(column: "volume", min: 0, max: nil))]) { try DefiLlamaBuilders.dexVolume($0).build() },
            spec(socialMetrics, layout: SocialMetricsBuilder.layout, from: "lunarcrush_timeseries", reads: SilverInputs.socialTimeseries, tags: ["crypto", "social"],
                 version: "social-metrics-2", summary: "Daily galaxy score, sentiment, social dominance and alt rank per coin",
                 checks: [AssetCheck("galaxy_score_0_100", .range(column: "galaxy_score", min: 0, max: 100)),
                          AssetCheck("sentiment_0_100", .range(column: "sentiment", min: 0, max: 100))]) {
                try SocialMetricsBuilder.builder($0).build()
            },
            spec(stockPrices, layout: YahooBuilders.stockPricesLayout, from: "yahoo_chart", reads: SilverInputs.yahooChart, tags: ["stocks"], version: "stock-prices-3+z\(settings.outlierThreshold)",
                 summary: "Daily OHLCV and adjusted close per ticker, in the listing's currency",
                 checks: [ohlcRules,
                          AssetCheck("fresh", .freshness(column: "date", days: 5), severity: .warn),
                          AssetCheck("trading_day_gaps", .gaps(column: "date", by: ["ticker"], days: 4), severity: .warn)]) {
                try YahooBuilders.stockPrices($0, outlierThreshold: settings.outlierThreshold).build()
            },
            spec(fxRates, layout: YahooBuilders.fxRatesLayout, from: "yahoo_chart", reads: SilverInputs.yahooChart, tags: ["stocks", "fx"], version: "fx-rates-2",
                 summary: "Daily exchange rates per pair (USDINR from USDINR=X)",
                 checks: [AssetCheck("rate_positive", .range(column: "rate", min: 0, max: nil)),
                          AssetCheck("fresh", .freshness(column: "date", days: 5), severity: .warn)]) { try YahooBuilders.fxRates($0).build() },
            AssetSpec(key: exchangeTicks, upstreams: [AssetKey(.bronze, "exchange_tickers")] + streams, tags: ["crypto", "exchanges"],
                      summary: "Bid, ask, last, mid and volume per exchange, symbol and message (stream segments) or poll, with both timestamps",
                      columns: ExchangeTicksBuilder.layout.descriptions, version: "exchange-ticks-4" + (settings.quoteAs.isEmpty ? "" : "+quote_as:" + settings.quoteAs.sorted().joined(separator: ",")),
                      inputs: { context in try fingerprints(ExchangeTicksBuilder.datasets(venues: venues), context) },
                      checks: [AssetCheck("known_exchange", .acceptedValues(column: "exchange", values: ["binance", "kraken", "coinbase"])),
                               AssetCheck("book_not_crossed", .sql("SELECT exchange, symbol, bid, ask FROM {{table}} WHERE bid > ask"), severity: .warn)],
                      build: { try ExchangeTicksBuilder.builder($0, venues: venues, quoteAs: settings.quoteAliases).build() }),
            AssetSpec(key: exchangeConnections, upstreams: streams, tags: ["crypto", "exchanges"],
                      summary: "Every connection event of the stream collector: connects, subscriptions, closes with code and reason, reconnects",
                      columns: ExchangeConnectionsBuilder.layout.descriptions, version: "exchange-connections-2",
                      inputs: { context in try fingerprints(ExchangeTicksBuilder.datasets(venues: venues).dropFirst().map { $0 }, context) },
                      checks: [AssetCheck("known_event", .acceptedValues(column: "event", values: StreamSegment.events), severity: .warn)],
                      build: { try ExchangeConnectionsBuilder.builder($0, venues: venues).build() }),
            AssetSpec(key: exchangeGaps, upstreams: [exchangeTicks, exchangeConnections], tags: ["crypto", "exchanges"],
                      summary: "Pauses in each venue's stream longer than \(settings.gapFactor) times its typical inter-arrival that day, with the connection drops inside them",
                      columns: ExchangeGapsBuilder.layout.descriptions, version: "exchange-gaps-1+factor\(settings.gapFactor)",
                      checks: [AssetCheck("longer_than_threshold", .sql("SELECT exchange, symbol, gap_start, gap_ms, threshold_ms FROM {{table}} WHERE gap_ms <= threshold_ms OR gap_end_ts <= gap_start_ts"))],
                      build: { try ExchangeGapsBuilder(context: $0, factor: settings.gapFactor).build() }),
            AssetSpec(key: exchangeOutliers, upstreams: [exchangeTicks], tags: ["crypto", "exchanges"],
                      summary: "Ticks whose mid looks wrong: log return beyond \(settings.outlierZ) robust z, or more than \(settings.outlierDeviation * 100)% off the venues' median at that moment; flagged, never dropped",
                      columns: ExchangeOutliersBuilder.layout.descriptions,
                      version: "exchange-outliers-1+z\(settings.outlierZ)+dev\(settings.outlierDeviation)+stale\(settings.spreadStalenessSeconds)",
                      checks: [AssetCheck("flagged_tick_exists", .sql("SELECT o.exchange, o.symbol, o.received_ts FROM {{table}} o LEFT JOIN exchange_ticks t USING (exchange, symbol, received_ts, raw_file_id, raw_line) WHERE t.mid IS NULL"))],
                      build: { try ExchangeOutliersBuilder(context: $0, zLimit: settings.outlierZ, deviationLimit: settings.outlierDeviation,
                                                           staleness: Int64((settings.spreadStalenessSeconds * 1000).rounded())).build() }),
            AssetSpec(key: assetMap, upstreams: [AssetKey(.bronze, "coingecko_coins_list")], tags: ["crypto"],
                      summary: "Every coin mapped to its canonical asset: wrapped and bridged tokens to their native coin",
                      columns: AssetMapBuilder.layout.descriptions,
                      version: "asset-map-2+" + Fingerprint.sha256(AssetMapBuilder.reviewed).prefix(12),
                      inputs: { context in
                          let user = AssetMapBuilder.userFile(context.layout)
                          return ["raw:\(SilverInputs.coinsList)": try context.raw.fingerprint(of: SilverInputs.coinsList),
                                  "file:asset_map.csv": (try? String(contentsOf: user, encoding: .utf8)).map { Fingerprint.sha256($0) } ?? "none"]
                      },
                      checks: [AssetCheck("canonical_not_null", .notNull(["canonical_id"]))],
                      build: { try AssetMapBuilder.build($0) }),
        ]
    }

    /// Bars that break the OHLC rule are quarantined as they load; one such bar warns, a feed
    /// where more than 5% of the bars break it fails the asset.
    static let ohlcRules = AssetCheck("ohlc_rules", .quarantined(rule: OHLCRule.name), warnIf: .anyFailure, errorIf: CheckThreshold(.greater, 5, percent: true))

    /// The fingerprint of each dataset read, the staleness inputs of a table built from several.
    private static func fingerprints(_ datasets: [RawDataset], _ context: BuildContext) throws -> [String: String] {
        var inputs: [String: String] = [:]
        for dataset in datasets { inputs["raw:\(dataset)"] = try context.raw.fingerprint(of: dataset) }
        return inputs
    }

    /// A silver asset that reads one raw dataset: stale when that dataset's files change.
    private static func spec(_ key: AssetKey, layout: TableLayout, from bronze: String, reads dataset: RawDataset, tags: Set<String>, version: String,
                             summary: String, checks: [AssetCheck], changes: ChangeScope? = nil,
                             build: @escaping (BuildContext) throws -> BuildOutcome) -> AssetSpec {
        AssetSpec(key: key, upstreams: [AssetKey(.bronze, bronze)], tags: tags, summary: summary, columns: layout.descriptions, version: version,
                  inputs: { context in ["raw:\(dataset)": try context.raw.fingerprint(of: dataset)] }, checks: checks, changes: changes, build: build)
    }
}
