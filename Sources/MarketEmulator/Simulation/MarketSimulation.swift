import Foundation

/// A deterministic simulated crypto market from a fixed genesis to "now": hourly prices,
/// market caps and volumes for every coin, with listings, deaths, wrapped tokens that track
/// their native, and the anomalies real feeds have (gaps, outliers, malformed values).
public final class MarketSimulation: @unchecked Sendable {
    /// 2023-01-01T00:00:00Z: the first simulated hour.
    public static let genesisUnixSeconds: Int64 = 1_672_531_200

    public let seed: UInt64
    let noise: SeededNoise
    let coins: [SimulatedCoin]
    let byID: [String: Int]
    /// Hours from genesis to the end of the simulated history.
    let totalHours: Int
    private var series: [Int: [Double]] = [:]
    private let lock = NSLock()

    /// - Parameters:
    ///   - coinCount: coins in the market (at least 30 keeps every kind of coin present).
    ///   - until: the latest time the market is simulated to.
    public init(seed: UInt64 = 42, coinCount: Int = 320, until: Date) {
        self.seed = seed
        noise = SeededNoise(seed: seed)
        totalHours = max(1, Int((Int64(until.timeIntervalSince1970) - Self.genesisUnixSeconds) / 3600) + 48)
        coins = CoinUniverse.build(count: max(coinCount, 12), noise: noise, totalHours: totalHours)
        byID = Dictionary(uniqueKeysWithValues: coins.map { ($0.id, $0.index) })
    }

    /// The coin ids, in universe order.
    public var coinIDs: [String] { coins.map(\.id) }

    /// Ids of coins that die within the simulated history.
    public var deadCoinIDs: [String] { coins.filter { $0.delistedHour.map { $0 <= totalHours - 48 } ?? false }.map(\.id) }

    /// Ids of wrapped or bridged tokens with the id of the native coin each tracks.
    public var wrappedTokens: [(token: String, native: String)] {
        coins.compactMap { coin in coin.wrappedOf.map { (coin.id, coins[$0].id) } }
    }

    /// The hour index of a Unix time (floor).
    static func hour(ofUnix seconds: Int64) -> Int { Int((seconds - genesisUnixSeconds).floorDiv(3600)) }

    /// Whether the coin trades at this hour (listed, not yet dead).
    func isAlive(_ coin: SimulatedCoin, hour: Int) -> Bool {
        hour >= coin.listedHour && hour < (coin.delistedHour ?? Int.max) && hour >= 0 && hour < totalHours
    }

    /// The clean hourly price, before anomalies.
    func price(_ coin: SimulatedCoin, hour: Int) -> Double {
        prices(of: coin)[max(0, min(hour, totalHours - 1))]
    }

    func circulatingSupply(_ coin: SimulatedCoin, hour: Int) -> Double {
        coin.supply * (1 + 0.2 * Double(max(0, hour - coin.listedHour)) / Double(totalHours))
    }

    func marketCap(_ coin: SimulatedCoin, hour: Int) -> Double {
        price(coin, hour: hour) * circulatingSupply(coin, hour: hour)
    }

    /// USD volume traded in that hour.
    func hourlyVolume(_ coin: SimulatedCoin, hour: Int) -> Double {
        marketCap(coin, hour: hour) * coin.turnover * exp(0.5 * noise.normal(100 + UInt64(coin.index), UInt64(max(0, hour))))
    }

    /// All-time high and low (price, hour) from listing through `hour`.
    func extremes(_ coin: SimulatedCoin, through hour: Int) -> (Double, Int, Double, Int) {
        let values = prices(of: coin)
        let first = max(0, coin.listedHour), last = max(first, min(hour, totalHours - 1))
        var high = (values[first], first), low = (values[first], first)
        for h in first...last {
            if values[h] > high.0 { high = (values[h], h) }
            if values[h] < low.0 { low = (values[h], h) }
        }
        return (high.0, high.1, low.0, low.1)
    }

    /// Anomalies of a served point, fixed per (coin, hour).
    enum Anomaly { case none, gap, outlier, malformed }

    func anomaly(_ coin: SimulatedCoin, hour: Int) -> Anomaly {
        let u = noise.uniform(200 + UInt64(coin.index), UInt64(max(0, hour)))
        if u < 0.002 { return .gap }
        if u < 0.0023 { return .outlier }
        if u < 0.0025 { return .malformed }
        return .none
    }

    /// The coin's hourly prices from genesis, computed once and cached.
    private func prices(of coin: SimulatedCoin) -> [Double] {
        lock.lock()
        if let cached = series[coin.index] { lock.unlock(); return cached }
        lock.unlock()
        let computed: [Double]
        if let native = coin.wrappedOf {
            let base = prices(of: coins[native])
            computed = (0..<totalHours).map { base[$0] * (1 + 0.002 * noise.normal(300 + UInt64(coin.index), UInt64($0))) }
        } else {
            computed = walk(coin)
        }
        lock.lock()
        series[coin.index] = computed
        lock.unlock()
        return computed
    }

    private func walk(_ coin: SimulatedCoin) -> [Double] {
        var values = [Double](repeating: coin.initialPrice, count: totalHours)
        var logPrice = log(coin.initialPrice)
        let collapseStart = coin.delistedHour.map { $0 - 24 * 45 } ?? Int.max
        for hour in max(coin.listedHour, 0)..<totalHours {
            if coin.isStable {
                values[hour] = 1 + coin.volatility * noise.normal(400 + UInt64(coin.index), UInt64(hour))
                continue
            }
            var drift = coin.drift
            if hour >= collapseStart { drift -= 0.0025 }
            logPrice += drift + coin.volatility * noise.normal(500 + UInt64(coin.index), UInt64(hour))
            values[hour] = exp(logPrice)
        }
        return values
    }
}

extension Int64 {
    func floorDiv(_ divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
