import Foundation
import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// Every silver parser against seeded mutations of the real recorded responses: no input
/// crashes the process or fails an asset, and every file silver reads either loads (it is in
/// `_raw_files`) or is in `_rejects` by name. `FUZZ_INPUTS` sets the budget (CI: the default;
/// `scripts/fuzz.sh` runs a longer one), `FUZZ_SEED` the seed; a failure prints both.
final class FuzzTests: XCTestCase {
    /// A real fixture and where silver finds it: dataset, and the entity its key names.
    struct Source {
        let fixture: String
        let dataset: String
        let entity: String
        /// Reference lists are read one per dataset (the newest), under a fixed key.
        var isReference = false
    }

    static let sources: [Source] = [
        Source(fixture: "coingecko/coins_bitcoin_market_chart_range_OFFICIAL_DOC_EXAMPLE_assembled.json", dataset: "coingecko/market_chart", entity: "bitcoin"),
        Source(fixture: "coingecko/coins_matic-network_market_chart_days-1_vs-usd.json", dataset: "coingecko/market_chart", entity: "matic-network"),
        Source(fixture: "coingecko/coins_alephium_market_chart_vs-btc_daily_sci-notation.json", dataset: "coingecko/market_chart", entity: "alephium"),
        Source(fixture: "coingecko/coins_markets_vs-usd_per_page-250_page-1_TRUNCATED.json", dataset: "coingecko/markets", entity: "page-1"),
        Source(fixture: "coingecko/coins_bitcoin_ohlc_OFFICIAL_DOC_EXAMPLE.json", dataset: "coingecko/ohlc", entity: "bitcoin"),
        Source(fixture: "coingecko/coins_list_include_platform-true_TRUNCATED.json", dataset: "coingecko/coins_list", entity: "active", isReference: true),
        Source(fixture: "defillama/v2_historicalChainTvl_all_chains_2018-06-29_to_2023-09-09.json", dataset: "defillama/chain_tvl", entity: "Ethereum"),
        Source(fixture: "defillama/protocol_sendit_PROJECTED_SUBSET_name_tvl_currentChainTvls.json", dataset: "defillama/protocol_tvl", entity: "sendit"),
        Source(fixture: "lunarcrush/api4_public_coins_2_time-series_v2_OFFICIAL_DOC_EXAMPLE.json", dataset: "lunarcrush/timeseries", entity: "bitcoin"),
        Source(fixture: "lunarcrush/api4_public_topic_bitcoin_time-series_v2_OFFICIAL_DOC_EXAMPLE.json", dataset: "lunarcrush/timeseries", entity: "ethereum"),
        Source(fixture: "yahoo/v8_chart_AAPL_1d_2020-08-31_to_2020-11-07_with_split_and_dividend.json", dataset: "yahoo/chart", entity: "AAPL"),
        Source(fixture: "yahoo/v8_chart_AAPL_range-6mo_interval-1d_dividends.json", dataset: "yahoo/chart", entity: "MSFT"),
        Source(fixture: "yahoo/v8_chart_GS2C.DE_range-5d_interval-1d_XETRA_EUR.json", dataset: "yahoo/chart", entity: "GS2C.DE"),
        Source(fixture: "yahoo/v8_chart_VFINX_range-max_interval-3mo_mutualfund_capitalGains.json", dataset: "yahoo/chart", entity: "VFINX"),
        Source(fixture: "yahoo/v8_chart_EURUSD=X_1d_2020-01-01_to_2020-01-03.json", dataset: "yahoo/chart", entity: "EURUSD=X"),
        Source(fixture: "binance/api_v3_ticker_24hr_BTCUSDT.json", dataset: "exchange/tickers", entity: "binance"),
        Source(fixture: "binance/api_v3_ticker_bookTicker_BTCUSDT.json", dataset: "exchange/tickers", entity: "binance"),
        Source(fixture: "kraken/0_public_Ticker_XBTUSDT.json", dataset: "exchange/tickers", entity: "kraken"),
        Source(fixture: "kraken/0_public_Ticker_all_pairs_assetVersion-1_TRUNCATED.json", dataset: "exchange/tickers", entity: "kraken"),
        Source(fixture: "coinbase/exchange_products_BTC-USDT_ticker.json", dataset: "exchange/tickers", entity: "coinbase-BTC-USDT"),
        Source(fixture: "coinbase/advanced_trade_products_BTC-USD_ticker.json", dataset: "exchange/tickers", entity: "coinbase-BTC-USD"),
    ]

    func testEverySilverParserSurvivesMutatedRealResponses() throws {
        let environment = ProcessInfo.processInfo.environment
        let budget = Int(environment["FUZZ_INPUTS"] ?? "") ?? 2_000
        let seed = UInt64(environment["FUZZ_SEED"] ?? "") ?? 20_261_201
        let perRound = 40
        let bodies = try Self.sources.map { try Fixtures.data("real/\($0.fixture)") }
        var random = SplitMix(seed: seed)
        var inputs = 0
        var kinds: [JSONMutator.Kind: Int] = [:]
        var loaded = 0, rejected = 0
        var round = 0
        while inputs < budget {
            round += 1
            let root = TemporaryRoot("fuzz")
            var mutator = JSONMutator(seed: random.next())
            var written: [String] = []
            var references = Set<String>()
            for n in 0..<min(perRound, budget - inputs) {
                let index = Int.random(in: 0..<Self.sources.count, using: &random)
                let source = Self.sources[index]
                if source.isReference && references.contains(source.dataset) { continue }
                let (body, applied) = mutator.mutate(bodies[index])
                for kind in applied { kinds[kind, default: 0] += 1 }
                let key = source.isReference ? source.entity : "\(source.entity)@f\(n)"
                if source.isReference { references.insert(source.dataset) }
                let gzip = Int.random(in: 0..<10, using: &random) == 0
                let path = try ForeignRawWriter.write(body, root: root, day: "2026-11-20", dataset: source.dataset, key: key, gzip: gzip)
                // Now and then the metadata's sha256 is that of the unmutated body: silver must notice.
                if Int.random(in: 0..<20, using: &random) == 0 {
                    try Self.rewriteSHA(of: root.url.appendingPathComponent(path), to: Fingerprint.sha256(bodies[index]), gzip: gzip)
                }
                written.append(path)
                inputs += 1
            }
            let context = "round \(round) (FUZZ_SEED=\(seed), FUZZ_INPUTS=\(budget)), root \(root.path)"
            FileHandle.standardError.write(Data("fuzz: \(context): \(written.count) inputs\n".utf8))
            for spec in SilverAssets.specs() {
                do {
                    _ = try spec.build(BuildContext(key: spec.key, version: spec.version, layout: root.layout, runID: "fuzz", clock: TestClock.clock))
                } catch {
                    XCTFail("\(spec.key) failed instead of rejecting its bad input, \(context): \(error)")
                    return
                }
            }
            let database = try Database(path: root.layout.silverDatabase.path, readOnly: true)
            let consumed = Set(try database.rows("SELECT path FROM _raw_files").compactMap { $0[0].string })
            let named = Set(try database.rows("SELECT DISTINCT raw_file FROM _rejects").compactMap { $0[0].string })
            let whole = Set(try database.rows("SELECT DISTINCT raw_file FROM _rejects WHERE locator = 'file'").compactMap { $0[0].string })
            for path in written {
                XCTAssertTrue(consumed.contains(path) || named.contains(path), "\(path) neither loaded nor rejected, \(context)")
            }
            rejected += written.filter(whole.contains).count
            loaded += written.filter { consumed.contains($0) && !whole.contains($0) }.count
        }
        let summary = kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        print("fuzz: \(inputs) mutated inputs in \(round) rounds (seed \(seed)): \(loaded) loaded (some rows rejected), \(rejected) rejected whole; mutations: \(summary)")
        XCTAssertEqual(inputs, budget)
        XCTAssertGreaterThan(rejected, 0, "the mutations reached no parser's error path")
    }

    /// Replaces the sha256 in a snapshot's `.meta.json`.
    static func rewriteSHA(of body: URL, to sha256: String, gzip: Bool) throws {
        let name = body.lastPathComponent.replacingOccurrences(of: gzip ? ".json.gz" : ".json", with: ".meta.json")
        let metaURL = body.deletingLastPathComponent().appendingPathComponent(name)
        var meta = try JSONSerialization.jsonObject(with: Data(contentsOf: metaURL)) as! [String: Any]
        meta["sha256"] = sha256
        try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys]).write(to: metaURL)
    }
}
