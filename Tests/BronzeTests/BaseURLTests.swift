import Bronze
import Foundation
import Warehouse
import XCTest

/// A base URL may be the host or the vendor's documented API root; requests never repeat the
/// prefix (BRIEF section 6), and a malformed one is a configuration error naming its variable.
final class BaseURLTests: XCTestCase {
    func url(_ base: String, _ path: String) -> String {
        SourceEndpoint(source: "x", baseURL: base).url(for: path)
    }

    func testEveryVendorsDocumentedRootJoinsItsPathsOnce() {
        let cases: [(base: String, path: String, expected: String)] = [
            ("https://api.coingecko.com", "/api/v3/coins/markets", "https://api.coingecko.com/api/v3/coins/markets"),
            ("https://api.coingecko.com/api/v3", "/api/v3/coins/markets", "https://api.coingecko.com/api/v3/coins/markets"),
            ("https://api.coingecko.com/api/v3/", "/api/v3/coins/markets", "https://api.coingecko.com/api/v3/coins/markets"),
            ("https://pro-api.coingecko.com/api/v3", "/api/v3/coins/list", "https://pro-api.coingecko.com/api/v3/coins/list"),
            ("https://lunarcrush.com/api4", "/api4/public/coins/list/v2", "https://lunarcrush.com/api4/public/coins/list/v2"),
            ("https://api.kraken.com/0/public", "/0/public/Ticker", "https://api.kraken.com/0/public/Ticker"),
            ("https://api.kraken.com/0", "/0/public/Ticker", "https://api.kraken.com/0/public/Ticker"),
            ("https://api.binance.com/api/v3", "/api/v3/ticker/24hr", "https://api.binance.com/api/v3/ticker/24hr"),
            ("https://api.binance.com/api", "/api/v3/ticker/24hr", "https://api.binance.com/api/v3/ticker/24hr"),
            ("https://query2.finance.yahoo.com/v8/finance", "/v8/finance/chart/AAPL", "https://query2.finance.yahoo.com/v8/finance/chart/AAPL"),
            ("https://api.llama.fi", "/v2/chains", "https://api.llama.fi/v2/chains"),
            ("https://api.exchange.coinbase.com", "/products/BTC-USD/ticker", "https://api.exchange.coinbase.com/products/BTC-USD/ticker"),
            // A proxy in front keeps its own prefix; only the overlap is written once.
            ("http://127.0.0.1:8080/proxy/coingecko/api/v3", "/api/v3/coins/list", "http://127.0.0.1:8080/proxy/coingecko/api/v3/coins/list"),
            ("http://127.0.0.1:8080/proxy", "/api/v3/coins/list", "http://127.0.0.1:8080/proxy/api/v3/coins/list"),
            // Segments, not characters: /api/v33 does not overlap /api/v3.
            ("https://example.test/api/v33", "/api/v3/x", "https://example.test/api/v33/api/v3/x"),
            // A base path of slashes only has no segment to overlap (it once trapped on an empty range).
            ("https://api.kraken.com////", "/0/public/Time", "https://api.kraken.com///0/public/Time"),
        ]
        for (base, path, expected) in cases { XCTAssertEqual(url(base, path), expected, base) }
        let request = RawRequest(dataset: RawDataset(source: "coingecko", dataset: "coins_list"), key: "active", path: "/api/v3/coins/list",
                                 params: [QueryParam("include_platform", "true")], freshness: .today(maxAge: 86_400))
        XCTAssertEqual(request.url(base: "https://api.coingecko.com/api/v3"), "https://api.coingecko.com/api/v3/coins/list?include_platform=true")
    }

    func testAMalformedBaseURLNamesItsVariable() throws {
        for bad in ["not-a-url", "ftp://api.coingecko.com", "https://", "api.coingecko.com/api/v3", "https://api.coingecko.com/api/v3?x=1"] {
            XCTAssertThrowsError(try SourceEndpoint.coingecko(environment: ["COINGECKO_BASE_URL": bad]), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("COINGECKO_BASE_URL: '\(bad)' is not an http(s) URL with a host. To fix this, "), "\(error)")
                XCTAssertEqual((error as? WarehouseError)?.exitStatus, .usage)
            }
        }
        XCTAssertThrowsError(try SourceEndpoint.exchange("kraken", environment: ["KRAKEN_BASE_URL": "kraken"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("KRAKEN_BASE_URL:"), "\(error)")
        }
        XCTAssertEqual(try SourceEndpoint.coingecko(environment: ["COINGECKO_BASE_URL": "http://127.0.0.1:9/api/v3"]).baseURL, "http://127.0.0.1:9/api/v3")
    }
}
