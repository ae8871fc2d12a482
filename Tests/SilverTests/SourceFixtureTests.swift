import Foundation
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// Every real recorded body of an endpoint we call, through its silver builder
/// (Tests/Fixtures/real, copied from shared/fixtures/real; see SOURCES.md there).
final class SourceFixtureTests: XCTestCase {
    struct Loaded {
        let outcome: BuildOutcome
        let database: Database
        func rows(_ sql: String) throws -> [[SQLValue]] { try database.rows(sql) }
    }

    func load(_ fixtures: [(file: String, key: String)], dataset: String, into asset: AssetKey, fetchedAt: String? = nil) throws -> Loaded {
        let root = TemporaryRoot("fixture")
        for (file, key) in fixtures {
            try ForeignRawWriter.write(Fixtures.data("real/\(file)"), root: root, day: "2026-11-20", dataset: dataset, key: key, fetchedAt: fetchedAt)
        }
        let spec = SilverAssets.specs().first { $0.key == asset }!
        let outcome = try spec.build(BuildContext(key: asset, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
        return Loaded(outcome: outcome, database: try Database(path: root.layout.silverDatabase.path))
    }

    func testCoinGeckoOHLC() throws {
        let loaded = try load([("coingecko/coins_bitcoin_ohlc_OFFICIAL_DOC_EXAMPLE.json", "bitcoin")], dataset: "coingecko/ohlc", into: SilverAssets.coinOHLC)
        XCTAssertEqual(loaded.outcome.rows, 3)
        XCTAssertEqual(try loaded.rows("SELECT coin_id, ts, open, high, low, close FROM coin_ohlc ORDER BY ts LIMIT 1"),
                       [["bitcoin", 1_709_395_200_000, .real(61942), .real(62211), .real(61721), .real(61845)]])
    }

    func testDefiLlamaHistoricalChainTVL() throws {
        let file = "defillama/v2_historicalChainTvl_all_chains_2018-06-29_to_2023-09-09.json"
        let loaded = try load([(file, "all")], dataset: "defillama/chain_tvl", into: SilverAssets.chainTVL)
        let points = try Fixtures.json("real/\(file)") as! [[String: Any]]
        XCTAssertEqual(loaded.outcome.rows, points.count)
        XCTAssertEqual(try loaded.rows("SELECT chain, date, tvl, coin_id FROM chain_tvl ORDER BY date LIMIT 1"),
                       [["all", "2018-06-29", .real(20541.94079040033), .null]])
    }

    func testDefiLlamaProtocolKeepsTheLastPointOfEachDay() throws {
        let file = "defillama/protocol_sendit_PROJECTED_SUBSET_name_tvl_currentChainTvls.json"
        let loaded = try load([(file, "sendit")], dataset: "defillama/protocol_tvl", into: SilverAssets.protocolTVL)
        let points = (try Fixtures.json("real/\(file)") as! [String: Any])["tvl"] as! [[String: Any]]
        let days = Set(points.map { Day(unixSeconds: ($0["date"] as! NSNumber).int64Value).description })
        XCTAssertEqual(loaded.outcome.rows, days.count)
        let last = points.last!
        let lastDay = Day(unixSeconds: (last["date"] as! NSNumber).int64Value).description
        XCTAssertEqual(try loaded.rows("SELECT tvl FROM protocol_tvl WHERE date = '\(lastDay)'"), [[.real((last["totalLiquidityUSD"] as! NSNumber).doubleValue)]])
    }

    func testLunarCrushCoinTimeSeries() throws {
        let loaded = try load([("lunarcrush/api4_public_coins_2_time-series_v2_OFFICIAL_DOC_EXAMPLE.json", "ethereum")],
                              dataset: "lunarcrush/timeseries", into: SilverAssets.socialMetrics)
        XCTAssertEqual(try loaded.rows("SELECT coin_id, date, galaxy_score, sentiment, social_dominance, alt_rank FROM social_metrics"),
                       [["ethereum", "2025-06-15", .real(65), .real(83), .real(9.3292), 332]])
    }

    func testYahooEquityCharts() throws {
        let fixtures = [("yahoo/v8_chart_AAPL_1d_2020-08-31_to_2020-11-07_with_split_and_dividend.json", "AAPL"),
                        ("yahoo/v8_chart_GS2C.DE_range-5d_interval-1d_XETRA_EUR.json", "GS2C.DE"),
                        ("yahoo/v8_chart_VFINX_range-max_interval-3mo_mutualfund_capitalGains.json", "VFINX"),
                        ("yahoo/v8_chart_BTC-USD_1d_2020-01-01_to_2020-01-03.json", "BTC-USD"),
                        ("yahoo/v8_chart_AAPL_1m_2025-02-01_to_2025-02-02_weekend_empty.json", "AAPL@weekend")]
        let loaded = try load(fixtures, dataset: "yahoo/chart", into: SilverAssets.stockPrices)
        // The real VFINX series has a bar with low = 0 and one with open below low: quarantined, named.
        let quarantined = try loaded.rows("SELECT raw_file, locator, reason FROM _rejects WHERE rule = 'ohlc' ORDER BY locator").map { $0.map(\.rendered) }
        XCTAssertEqual(quarantined.count, 2, "\(quarantined)")
        XCTAssertTrue(quarantined.allSatisfy { $0[0].hasSuffix("/VFINX.json") && $0[1].hasPrefix("timestamp[") }, "\(quarantined)")
        XCTAssertTrue(quarantined.contains { $0[2].contains("low is 0.0, not a positive price") }, "\(quarantined)")
        XCTAssertTrue(quarantined.contains { $0[2].contains("is below low") }, "\(quarantined)")
        for (file, key) in fixtures {
            let result = ((try Fixtures.json("real/\(file)") as! [String: Any])["chart"] as! [String: Any])["result"] as! [[String: Any]]
            let closes = ((result[0]["indicators"] as! [String: Any])["quote"] as! [[String: Any]])[0]["close"] as? [Any] ?? []
            let usable = closes.filter { $0 is NSNumber }.count
            let ticker = RawKey.entity(of: key)
            if key.contains("@") { continue }
            XCTAssertEqual(try loaded.rows("SELECT count(*) FROM stock_prices WHERE ticker = '\(ticker)'")[0][0].int, usable - (ticker == "VFINX" ? 2 : 0), ticker)
        }
        // The split-adjusted series: the first bar of 2020-08-31 with its adjusted close; the currency from meta.
        let aapl = try loaded.rows("SELECT date, currency, close > 0, adj_close <= close FROM stock_prices WHERE ticker = 'AAPL' ORDER BY date LIMIT 1")
        XCTAssertEqual(aapl, [["2020-08-31", "USD", 1, 1]])
        XCTAssertEqual(try loaded.rows("SELECT DISTINCT currency FROM stock_prices WHERE ticker = 'GS2C.DE'"), [["EUR"]])
        XCTAssertEqual(loaded.outcome.rejects, 2, "the weekend window has no bars and no errors; only VFINX's two bad bars are set aside")
    }

    func testYahooCurrencyGoesToFxRates() throws {
        let loaded = try load([("yahoo/v8_chart_EURUSD=X_1d_2020-01-01_to_2020-01-03.json", "EURUSD=X")], dataset: "yahoo/chart", into: SilverAssets.fxRates)
        XCTAssertEqual(loaded.outcome.rows, 3)
        XCTAssertEqual(try loaded.rows("SELECT pair, rate FROM fx_rates ORDER BY date LIMIT 1"), [["EURUSD", .real(1.1220825910568237)]])
    }

    func testBinanceTickers() throws {
        let loaded = try load([("binance/api_v3_ticker_24hr_BTCUSDT.json", "binance@100000"), ("binance/api_v3_ticker_bookTicker_BTCUSDT.json", "binance@100500")],
                              dataset: "exchange/tickers", into: SilverAssets.exchangeTicks)
        XCTAssertEqual(loaded.outcome.rows, 2, "each poll is its own reception, even at the same fetched_at: a row per file and ticker")
        let root = TemporaryRoot("binance")
        try ForeignRawWriter.write(Fixtures.data("real/binance/api_v3_ticker_24hr_BTCUSDT.json"), root: root, day: "2026-11-20",
                                   dataset: "exchange/tickers", key: "binance@100000", fetchedAt: "2021-10-22T23:13:21.500Z")
        try ForeignRawWriter.write(Fixtures.data("real/binance/api_v3_ticker_bookTicker_BTCUSDT.json"), root: root, day: "2026-11-20",
                                   dataset: "exchange/tickers", key: "binance@100500", fetchedAt: "2021-10-22T23:18:00Z")
        let spec = SilverAssets.specs().first { $0.key == SilverAssets.exchangeTicks }!
        _ = try spec.build(BuildContext(key: spec.key, version: spec.version, layout: root.layout, runID: "t", clock: TestClock.clock))
        let rows = try Database(path: root.layout.silverDatabase.path).rows("SELECT symbol, base, quote, bid, ask, last, exchange_ts, received_ts FROM exchange_ticks ORDER BY received_ts")
        XCTAssertEqual(rows, [["BTC/USDT", "BTC", "USDT", .real(60755.18), .real(60755.19), .real(60755.18), 1_634_944_401_452, 1_634_944_401_500],
                              ["BTC/USDT", "BTC", "USDT", .real(60741.67), .real(60741.68), .null, .null, 1_634_944_680_000]])
    }

    func testKrakenTickersNormaliseSymbols() throws {
        let one = try load([("kraken/0_public_Ticker_XBTUSDT.json", "kraken@100000")], dataset: "exchange/tickers", into: SilverAssets.exchangeTicks)
        XCTAssertEqual(try one.rows("SELECT symbol, bid, ask, last, volume, exchange_ts FROM exchange_ticks"),
                       [["BTC/USDT", .real(105944.2), .real(105944.3), .real(105899.4), .real(163.28908096), .null]])
        let all = try load([("kraken/0_public_Ticker_all_pairs_assetVersion-1_TRUNCATED.json", "kraken@100000")], dataset: "exchange/tickers", into: SilverAssets.exchangeTicks)
        XCTAssertEqual(all.outcome.rows, 22)
        let symbols = Set(try all.rows("SELECT symbol FROM exchange_ticks").compactMap { $0[0].string })
        XCTAssertTrue(symbols.isSuperset(of: ["BTC/USD", "BTC/USDT", "BTC/EUR", "ETH/USD", "USDT/USD", "AAVE/USD:BTNL"]), "\(symbols.sorted())")
        XCTAssertEqual(ExchangeSymbolProbe.split("XXBTZUSD"), "BTC/USD")
        XCTAssertEqual(ExchangeSymbolProbe.split("XETHZEUR"), "ETH/EUR")
    }

    func testCoinbaseTickersBothAPIs() throws {
        let exchange = try load([("coinbase/exchange_products_BTC-USDT_ticker.json", "coinbase-BTC-USDT@100000")], dataset: "exchange/tickers", into: SilverAssets.exchangeTicks)
        XCTAssertEqual(try exchange.rows("SELECT symbol, bid, ask, last, volume, exchange_ts FROM exchange_ticks"),
                       [["BTC/USDT", .real(73360.34), .real(73369.19), .real(73367.8), .real(1207.50668151), 1_710_328_241_270]])
        let advanced = try load([("coinbase/advanced_trade_products_BTC-USD_ticker.json", "coinbase-BTC-USD@100000")], dataset: "exchange/tickers", into: SilverAssets.exchangeTicks)
        XCTAssertEqual(try advanced.rows("SELECT symbol, bid, ask, last, exchange_ts FROM exchange_ticks"),
                       [["BTC/USD", .real(68923.66), .real(68923.67), .real(68923.67), 1_775_521_738_544]])
    }
}
