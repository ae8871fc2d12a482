import Warehouse

/// One coin's days recomputed from silver.coin_prices: its daily bars from a first day on,
/// each with its features, and the state to save for the next incremental build. Computed on a
/// worker thread with a read connection of its own, so reading and folding the points of one
/// coin overlaps writing the rows of the coin before.
struct CoinDays {
    let coin: String
    let bars: [DailyBar]
    let features: [FeatureRow]
    /// The series' state as of `CoinDailyFeaturesBuilder.resumeLag` bars before the last one, and that day.
    let saved: (state: FeatureState, day: Day?)

    /// Reads the coin's points from `firstDay` on (all of them when nil) through `points`
    /// (`SELECT ts, price, market_cap, volume FROM coin_prices WHERE coin_id = ?1 AND ts >= ?2
    /// ORDER BY ts`), folds them into daily bars and extends `state` (as of the day before
    /// `firstDay`) bar by bar.
    init(coin: String, from firstDay: Day?, state: FeatureState, points: Statement) throws {
        points.reset()
        points.bind(coin, at: 1)
        points.bind((firstDay?.startUnixSeconds ?? Int64.min / 1000) * 1000, at: 2)
        var bars: [DailyBar] = []
        while try points.step() {
            let day = Day(unixMilliseconds: points.int64(at: 0))
            let price = points.double(at: 1) ?? 0
            if bars.last?.day == day {
                bars[bars.count - 1].add(price: price, marketCap: points.double(at: 2), volume: points.double(at: 3))
            } else {
                bars.append(DailyBar(day: day, price: price, marketCap: points.double(at: 2), volume: points.double(at: 3)))
            }
        }
        var state = state
        var saved = (state: state, day: firstDay?.adding(days: -1))
        var features: [FeatureRow] = []
        features.reserveCapacity(bars.count)
        for (index, bar) in bars.enumerated() {
            if index == max(0, bars.count - CoinDailyFeaturesBuilder.resumeLag) { saved = (state, index == 0 ? saved.day : bars[index - 1].day) }
            features.append(state.append(bar.close))
        }
        self.coin = coin
        self.bars = bars
        self.features = features
        self.saved = saved
    }

    /// The query `init` reads a coin's points with, for a connection to silver.sqlite.
    static let pointsSQL = "SELECT ts, price, market_cap, volume FROM coin_prices WHERE coin_id = ?1 AND ts >= ?2 ORDER BY ts"
}
