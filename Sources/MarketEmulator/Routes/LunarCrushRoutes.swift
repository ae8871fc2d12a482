import Foundation
import Warehouse

/// LunarCrush API v4: `/api4/public/coins/{coin}/time-series/v2` with a bearer token.
/// Galaxy score and sentiment follow the coin's momentum in the simulation.
struct LunarCrushRoutes: Sendable {
    let market: MarketSimulation
    let now: @Sendable () -> Int64

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count == 6, parts[0] == "api4", parts[1] == "public", parts[2] == "coins", parts[4] == "time-series", parts[5] == "v2" else {
            return nil
        }
        guard let auth = request.headers["authorization"], auth.hasPrefix("Bearer "), auth.count > 7 else {
            return .error(401, "Unauthorized: missing or invalid API key")
        }
        let wanted = parts[3].lowercased()
        guard let coin = market.coins.first(where: { $0.symbol == wanted || String($0.index + 1) == wanted || $0.id == wanted }) else {
            return .error(404, "coin not found")
        }
        let end = min(Int64(request.query["end"] ?? "") ?? now(), now())
        let start = Int64(request.query["start"] ?? "") ?? (end - 7 * 86_400)
        let hourly = request.query["bucket"] == "hour"
        let step: Int64 = hourly ? 3600 : 86_400
        var w = JSONWriter()
        w.object { o in
            o.field("config") { c in
                c.object { cfg in
                    cfg.field("coin") { $0.string(String(coin.index + 1)) }
                    cfg.field("topic") { $0.string(coin.id) }
                    cfg.field("id") { $0.string("coins:\(coin.index + 1)") }
                    cfg.field("name") { $0.string(coin.name) }
                    cfg.field("symbol") { $0.string(coin.symbol.uppercased()) }
                    cfg.field("start") { $0.number(start) }
                    cfg.field("end") { $0.number(end) }
                    cfg.field("bucket") { $0.string(hourly ? "hour" : "day") }
                    cfg.field("metrics") { $0.array { _ in } }
                    cfg.field("generated") { $0.number(now()) }
                }
            }
            o.field("data") { list in
                list.array { rows in
                    var t = (start + step - 1) / step * step
                    while t <= end {
                        let hour = MarketSimulation.hour(ofUnix: t)
                        if market.isAlive(coin, hour: hour) {
                            let price = market.price(coin, hour: hour)
                            let weekAgo = market.price(coin, hour: max(coin.listedHour, hour - 168))
                            let momentum = max(-1, min(1, (price / weekAgo - 1) * 5))
                            let jitter = market.noise.normal(1100 + UInt64(coin.index), UInt64(hour))
                            rows.object { r in
                                r.field("time") { $0.number(t) }
                                r.field("contributors_active") { $0.number(Int64(1000 + 5000 * market.noise.uniform(1200, UInt64(hour)))) }
                                r.field("interactions") { $0.number(Int64(1e5 * (2 + momentum + jitter * 0.2))) }
                                r.field("sentiment") { $0.number(Int64(max(0, min(100, 70 + 20 * momentum + 5 * jitter)))) }
                                r.field("alt_rank") { $0.number(Int64(1 + coin.index * 3 + Int(10 * abs(jitter)))) }
                                r.field("close") { $0.number(price) }
                                r.field("galaxy_score") { $0.number(Int64(max(0, min(100, 55 + 25 * momentum + 6 * jitter)))) }
                                r.field("market_cap") { $0.number(market.marketCap(coin, hour: hour).rounded()) }
                                r.field("social_dominance") { $0.number((100 / Double(coin.index + 4) * (1 + 0.1 * jitter) * 1e4).rounded() / 1e4) }
                                r.field("volume_24h") { $0.number((market.hourlyVolume(coin, hour: hour) * 24).rounded()) }
                            }
                        }
                        t += step
                    }
                }
            }
        }
        return .json(w.bytes)
    }
}
