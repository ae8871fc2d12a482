import Warehouse

/// One UTC day of one coin from its intraday points: open and close at the first and last
/// timestamp, high and low the extremes, market cap and volume as of the last timestamp.
struct DailyBar {
    let day: Day
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var marketCap: Double?
    var volume: Double?

    init(day: Day, price: Double, marketCap: Double?, volume: Double?) {
        self.day = day
        open = price; high = price; low = price; close = price
        self.marketCap = marketCap
        self.volume = volume
    }

    /// Adds a later point of the same day.
    mutating func add(price: Double, marketCap: Double?, volume: Double?) {
        high = max(high, price)
        low = min(low, price)
        close = price
        self.marketCap = marketCap
        self.volume = volume
    }
}
