import Foundation

/// Yahoo Finance's side: daily bars on weekdays for any ticker (US listings in USD, `.NS`
/// listings in INR, `.DE` listings on XETRA in EUR), and FX pairs such as `USDINR=X`. Each
/// ticker's path is seeded by its name. As Yahoo does, a bar is stamped at its session's
/// local opening time (FX at midnight London), so in summer a London bar is 23:00 UTC the day before.
final class StockSimulation: @unchecked Sendable {
    let noise: SeededNoise
    /// Days of history simulated from genesis.
    let totalDays: Int
    private var closes: [String: [Double]] = [:]
    private let lock = NSLock()

    init(noise: SeededNoise, totalDays: Int) {
        self.noise = noise
        self.totalDays = totalDays
    }

    struct Listing: Sendable {
        let ticker: String
        let currency: String
        let exchange: String
        let fullExchange: String
        let instrumentType: String
        let exchangeTimezone: String
        /// Seconds after local midnight at which the daily bar is stamped (the session open).
        let sessionOpen: Int64
        let startPrice: Double
        let volatility: Double

        var zone: TimeZone { TimeZone(identifier: exchangeTimezone) ?? TimeZone(secondsFromGMT: 0)! }

        /// The exchange's UTC offset in seconds at a moment (what Yahoo's `gmtoffset` says at fetch time).
        func offset(at unixSeconds: Int64) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unixSeconds))) }

        /// The zone's abbreviation at a moment (`EST`, `EDT`, `GMT`, `BST`).
        func abbreviation(at unixSeconds: Int64) -> String { zone.abbreviation(for: Date(timeIntervalSince1970: Double(unixSeconds))) ?? "UTC" }
    }

    func listing(_ ticker: String) -> Listing {
        let salt = UInt64(ticker.hashValueStable)
        if ticker.hasSuffix("=X") {
            let inr = ticker.contains("INR")
            return Listing(ticker: ticker, currency: String(ticker.dropLast(2).suffix(3)), exchange: "CCY", fullExchange: "CCY",
                           instrumentType: "CURRENCY", exchangeTimezone: "Europe/London",
                           sessionOpen: 0, startPrice: inr ? 81.5 : 1 + noise.uniform(1000, salt), volatility: 0.003)
        }
        if ticker.hasSuffix(".NS") {
            return Listing(ticker: ticker, currency: "INR", exchange: "NSI", fullExchange: "NSE", instrumentType: "EQUITY",
                           exchangeTimezone: "Asia/Kolkata", sessionOpen: 33_300,
                           startPrice: 500 + 3000 * noise.uniform(1001, salt), volatility: 0.014)
        }
        if ticker.hasSuffix(".DE") {
            return Listing(ticker: ticker, currency: "EUR", exchange: "GER", fullExchange: "XETRA", instrumentType: "EQUITY",
                           exchangeTimezone: "Europe/Berlin", sessionOpen: 32_400,
                           startPrice: 20 + 200 * noise.uniform(1003, salt), volatility: 0.015)
        }
        return Listing(ticker: ticker, currency: "USD", exchange: "NMS", fullExchange: "NasdaqGS", instrumentType: "EQUITY",
                       exchangeTimezone: "America/New_York", sessionOpen: 34_200,
                       startPrice: 50 + 400 * noise.uniform(1002, salt), volatility: 0.016)
    }

    struct Bar {
        let timestamp: Int64
        let open: Double, high: Double, low: Double, close: Double
        let volume: Int64
    }

    /// The bar of a weekday (days since genesis), nil on weekends.
    func bar(_ listing: Listing, day: Int) -> Bar? {
        let unixDay = Int(MarketSimulation.genesisUnixSeconds / 86_400) + day
        let weekday = (unixDay + 4) % 7   // 0 = Sunday
        guard weekday != 0 && weekday != 6 else { return nil }
        let salt = UInt64(listing.ticker.hashValueStable % 100_000)
        let series = closeSeries(listing)
        guard day >= 0, day < series.count else { return nil }
        let close = series[day]
        let previous = day > 0 ? series[day - 1] : close
        let open = previous * (1 + listing.volatility * 0.3 * noise.normal(2000 + salt, UInt64(day)))
        let high = max(open, close) * (1 + listing.volatility * abs(noise.normal(3000 + salt, UInt64(day))) * 0.5)
        let low = min(open, close) * (1 - listing.volatility * abs(noise.normal(4000 + salt, UInt64(day))) * 0.5)
        let volume = listing.instrumentType == "CURRENCY" ? 0 : Int64(2e6 * (1 + noise.uniform(5000 + salt, UInt64(day))) * (listing.currency == "INR" ? 3 : 10))
        let localOpen = Int64(unixDay) * 86_400 + listing.sessionOpen
        return Bar(timestamp: localOpen - Int64(listing.offset(at: localOpen)), open: open, high: high, low: low, close: close, volume: volume)
    }

    /// Daily closes as a random walk from genesis, computed once per ticker.
    private func closeSeries(_ listing: Listing) -> [Double] {
        lock.lock(); defer { lock.unlock() }
        if let cached = closes[listing.ticker] { return cached }
        let salt = UInt64(listing.ticker.hashValueStable % 100_000)
        var logPrice = log(listing.startPrice)
        let drift = listing.instrumentType == "CURRENCY" ? 0.00008 : 0.0003
        let series = (0..<totalDays).map { day -> Double in
            logPrice += drift + listing.volatility * noise.normal(6000 + salt, UInt64(day))
            return exp(logPrice)
        }
        closes[listing.ticker] = series
        return series
    }
}
