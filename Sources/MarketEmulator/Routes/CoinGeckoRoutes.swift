import Foundation
import Warehouse

/// The CoinGecko v3 endpoints, served from the simulation in the shapes of the real API
/// (see shared/fixtures/real/coingecko).
struct CoinGeckoRoutes: Sendable {
    let simulation: MarketSimulation
    /// The emulator's "now", Unix seconds.
    let now: @Sendable () -> Int64

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let path = request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
        guard path.hasPrefix("/api/v3/") else { return nil }
        let parts = path.split(separator: "/").map(String.init)   // ["api","v3",...]
        switch parts.dropFirst(2).first {
        case "ping":
            return .json(Array(#"{"gecko_says":"(V3) To the Moon!"}"#.utf8))
        case "coins":
            if parts.count == 4 && parts[3] == "markets" { return markets(request) }
            if parts.count == 4 && parts[3] == "list" { return coinsList(request) }
            if parts.count == 6 && parts[4] == "market_chart" && parts[5] == "range" { return marketChartRange(coinID: parts[3], request) }
            if parts.count == 5 && parts[4] == "ohlc" { return ohlc(coinID: parts[3], request) }
            return .error(404, "Not Found")
        default:
            return nil   // other APIs share the /api/v3 prefix (Binance)
        }
    }

    /// `/coins/markets`: active coins by market cap, paged.
    func markets(_ request: HTTPRequest) -> HTTPResponse {
        guard request.query["vs_currency"]?.lowercased() == "usd" else {
            return .error(400, "invalid vs_currency")
        }
        let perPage = min(250, max(1, Int(request.query["per_page"] ?? "100") ?? 100))
        let page = max(1, Int(request.query["page"] ?? "1") ?? 1)
        let with7d = request.query["price_change_percentage"]?.contains("7d") ?? false
        let nowSeconds = now()
        let hour = MarketSimulation.hour(ofUnix: nowSeconds)
        let ranked = simulation.coins.filter { simulation.isAlive($0, hour: hour) }
            .map { ($0, simulation.marketCap($0, hour: hour)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }
        let slice = ranked.dropFirst((page - 1) * perPage).prefix(perPage)
        var writer = JSONWriter(capacity: slice.count * 900)
        let updated = ISO8601.format(Date(timeIntervalSince1970: Double(nowSeconds))).replacingOccurrences(of: "Z", with: ".000Z")
        writer.array { w in
            for (offset, entry) in slice.enumerated() {
                let (coin, cap) = entry
                let rank = (page - 1) * perPage + offset + 1
                let price = simulation.price(coin, hour: hour)
                let dayAgo = max(coin.listedHour, hour - 24)
                let weekAgo = max(coin.listedHour, hour - 24 * 7)
                let window = (dayAgo...hour).map { simulation.price(coin, hour: $0) }
                let (ath, athHour, atl, atlHour) = simulation.extremes(coin, through: hour)
                let previous = simulation.price(coin, hour: dayAgo)
                let previousCap = simulation.marketCap(coin, hour: dayAgo)
                let volume = (dayAgo..<hour).reduce(0.0) { $0 + simulation.hourlyVolume(coin, hour: $1) }
                let circulating = simulation.circulatingSupply(coin, hour: hour)
                // A few coins carry the nulls the real API has (no 24h range, no supply data).
                let sparse = simulation.noise.uniform(700, UInt64(coin.index)) < 0.05
                let broken = simulation.noise.uniform(701, UInt64(coin.index)) < 0.01
                w.object { o in
                    o.field("id") { $0.string(coin.id) }
                    o.field("symbol") { $0.string(coin.symbol) }
                    o.field("name") { $0.string(coin.name) }
                    o.field("image") { $0.string("https://assets.coingecko.com/coins/images/\(coin.index + 1)/large/\(coin.id).png") }
                    o.field("current_price") { broken ? $0.null() : $0.number(Self.round(price)) }
                    o.field("market_cap") { $0.number(cap.rounded()) }
                    o.field("market_cap_rank") { $0.number(Int64(rank)) }
                    o.field("fully_diluted_valuation") { $0.optionalNumber(coin.maxSupply.map { (price * $0).rounded() }) }
                    o.field("total_volume") { $0.number(volume.rounded()) }
                    o.field("high_24h") { sparse ? $0.null() : $0.number(Self.round(window.max()!)) }
                    o.field("low_24h") { sparse ? $0.null() : $0.number(Self.round(window.min()!)) }
                    o.field("price_change_24h") { $0.number(Self.round(price - previous)) }
                    o.field("price_change_percentage_24h") { $0.number(Self.round((price / previous - 1) * 100)) }
                    o.field("market_cap_change_24h") { $0.number((cap - previousCap).rounded()) }
                    o.field("market_cap_change_percentage_24h") { $0.number(Self.round((cap / previousCap - 1) * 100)) }
                    o.field("circulating_supply") { $0.number(circulating.rounded()) }
                    o.field("total_supply") { sparse ? $0.null() : $0.number(circulating.rounded()) }
                    o.field("max_supply") { $0.optionalNumber(coin.maxSupply?.rounded()) }
                    o.field("ath") { $0.number(Self.round(ath)) }
                    o.field("ath_change_percentage") { $0.number(Self.round((price / ath - 1) * 100)) }
                    o.field("ath_date") { $0.string(Self.timestamp(hour: athHour)) }
                    o.field("atl") { $0.number(Self.round(atl)) }
                    o.field("atl_change_percentage") { $0.number(Self.round((price / atl - 1) * 100)) }
                    o.field("atl_date") { $0.string(Self.timestamp(hour: atlHour)) }
                    o.field("roi") { $0.null() }
                    o.field("last_updated") { $0.string(updated) }
                    if with7d {
                        o.field("price_change_percentage_7d_in_currency") {
                            $0.number(Self.round((price / simulation.price(coin, hour: weekAgo) - 1) * 100))
                        }
                    }
                }
            }
        }
        return .json(writer.bytes)
    }

    /// `/coins/list`: active coins, or with `status=inactive` the dead ones; platforms on request.
    func coinsList(_ request: HTTPRequest) -> HTTPResponse {
        let withPlatforms = request.query["include_platform"] == "true"
        let inactive = request.query["status"] == "inactive"
        let hour = MarketSimulation.hour(ofUnix: now())
        let listed = simulation.coins.filter { coin in
            guard coin.listedHour <= hour else { return false }
            let dead = coin.delistedHour.map { $0 <= hour } ?? false
            return inactive == dead
        }.sorted { $0.id < $1.id }
        var writer = JSONWriter(capacity: listed.count * 120)
        writer.array { w in
            for coin in listed {
                w.object { o in
                    o.field("id") { $0.string(coin.id) }
                    o.field("symbol") { $0.string(coin.symbol) }
                    o.field("name") { $0.string(coin.name) }
                    if withPlatforms {
                        o.field("platforms") { p in p.object { obj in for (platform, address) in coin.platforms { obj.field(platform) { $0.string(address) } } } }
                    }
                }
            }
        }
        return .json(writer.bytes)
    }

    /// `/coins/{id}/market_chart/range`: granularity by span as the real API picks it:
    /// 5-minutely up to a day, hourly up to 90 days, daily beyond.
    func marketChartRange(coinID: String, _ request: HTTPRequest) -> HTTPResponse {
        guard let index = simulation.byID[coinID] else { return .error(404, "coin not found") }
        guard request.query["vs_currency"]?.lowercased() == "usd" else { return .error(400, "invalid vs_currency") }
        guard let from = request.query["from"].flatMap(Double.init), let to = request.query["to"].flatMap(Double.init), from <= to else {
            return .error(400, "from and to must be UNIX timestamps with from <= to")
        }
        let coin = simulation.coins[index]
        let end = min(Int64(to), now())
        let start = Int64(from.rounded(.up))
        let span = to - from
        let step: Int64 = span <= 86_400 ? 300 : (span <= 90 * 86_400 ? 3600 : 86_400)
        var points: [(Int64, Double?, Double, Double)] = []
        var t = (start + step - 1).floorDiv(step) * step
        while t <= end {
            let hour = MarketSimulation.hour(ofUnix: t)
            if simulation.isAlive(coin, hour: hour) {
                let anomaly = step == 86_400 ? .none : simulation.anomaly(coin, hour: hour)
                if anomaly != .gap || step == 300 {
                    var price = simulation.price(coin, hour: hour)
                    if step == 300 {
                        let next = simulation.price(coin, hour: hour + 1)
                        price += (next - price) * Double(t - (MarketSimulation.genesisUnixSeconds + Int64(hour) * 3600)) / 3600
                    }
                    if anomaly == .outlier { price *= 6 }
                    let cap = price * simulation.circulatingSupply(coin, hour: hour)
                    let volume = simulation.hourlyVolume(coin, hour: hour) * 24
                    // Real timestamps land a few seconds after the grid point.
                    let jitter = Int64(simulation.noise.bits(800 + UInt64(index), UInt64(hour)) % 90_000)
                    points.append((t * 1000 + jitter, anomaly == .malformed ? nil : price, cap, volume))
                }
            }
            t += step
        }
        var writer = JSONWriter(capacity: points.count * 3 * 36 + 64)
        writer.object { o in
            for (name, column) in [("prices", 1), ("market_caps", 2), ("total_volumes", 3)] {
                o.field(name) { a in
                    a.array { list in
                        for point in points {
                            list.array { pair in
                                pair.number(point.0)
                                switch column {
                                case 1: pair.optionalNumber(point.1)
                                case 2: pair.number(point.2)
                                default: pair.number(point.3)
                                }
                            }
                        }
                    }
                }
            }
        }
        return .json(writer.bytes)
    }

    /// `/coins/{id}/ohlc?vs_currency=usd&days=N`: candles of 30 minutes (1-2 days), 4 hours
    /// (3-30 days) or 4 days (beyond), stamped with their closing time, like the real API.
    func ohlc(coinID: String, _ request: HTTPRequest) -> HTTPResponse {
        guard let index = simulation.byID[coinID] else { return .error(404, "coin not found") }
        guard request.query["vs_currency"]?.lowercased() == "usd" else { return .error(400, "invalid vs_currency") }
        guard let days = request.query["days"].flatMap(Int.init), days > 0 else { return .error(400, "days must be a positive number") }
        let coin = simulation.coins[index]
        let candle: Int64 = days <= 2 ? 1800 : (days <= 30 ? 14_400 : 345_600)
        let end = now() / candle * candle
        var w = JSONWriter(capacity: days * 24 * 60)
        w.array { list in
            var close = end - Int64(days) * 86_400 + candle
            while close <= end {
                let hours = (MarketSimulation.hour(ofUnix: close - candle)...max(MarketSimulation.hour(ofUnix: close - candle), MarketSimulation.hour(ofUnix: close - 1)))
                    .filter { simulation.isAlive(coin, hour: $0) }
                if !hours.isEmpty {
                    let prices = hours.map { simulation.price(coin, hour: $0) }
                    list.array { row in
                        row.number(close * 1000)
                        row.number(Self.round(prices.first!)); row.number(Self.round(prices.max()!))
                        row.number(Self.round(prices.min()!)); row.number(Self.round(prices.last!))
                    }
                }
                close += candle
            }
        }
        return .json(w.bytes)
    }

    static func round(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        let digits = max(2, 6 - Int(log10(abs(value)).rounded(.down)))
        let scale = pow(10, Double(min(digits, 12)))
        return (value * scale).rounded() / scale
    }

    static func timestamp(hour: Int) -> String {
        ISO8601.format(Date(timeIntervalSince1970: Double(MarketSimulation.genesisUnixSeconds + Int64(hour) * 3600)))
            .replacingOccurrences(of: "Z", with: ".000Z")
    }
}
