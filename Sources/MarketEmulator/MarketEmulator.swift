import Foundation
import Warehouse
import WebSocket

/// The built-in market emulator: a loopback HTTP server that answers the real API paths
/// and shapes from a deterministic simulation, counts what it serves, and injects faults.
public final class MarketEmulator: @unchecked Sendable {
    public let simulation: MarketSimulation
    private var server: HTTPServer!
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var sequence: UInt64 = 0
    private let faults: FaultPlan
    private let streams: StreamPlan
    private let streamStats = StreamStats()

    /// Starts the emulator on 127.0.0.1.
    /// - Parameters:
    ///   - port: 0 picks a free port.
    ///   - seed: the simulation's seed; the same seed serves the same market.
    ///   - coinCount: coins in the simulated market.
    ///   - clock: the emulator's "now" (data never goes past it).
    ///   - streams: how the exchanges' WebSocket streams behave (`/stream`, `/v2`, `/`).
    /// - Throws: `EmulatorError.cannotListen`, or `.noCoins` for a coin count below one.
    public init(port: UInt16 = 0, seed: UInt64 = 42, coinCount: Int = 320, clock: WarehouseClock = WarehouseClock(),
                faults: FaultPlan = .none, streams: StreamPlan = .calm) throws {
        guard coinCount >= 1 else { throw EmulatorError.noCoins(coinCount) }
        self.faults = faults
        self.streams = streams
        simulation = MarketSimulation(seed: seed, coinCount: coinCount, until: clock.now)
        let now: @Sendable () -> Int64 = { clock.nowUnixSeconds }
        let simulation = self.simulation
        let totalDays = simulation.totalHours / 24 + 1
        let coinGecko = CoinGeckoRoutes(simulation: simulation, now: now)
        let defiLlama = DefiLlamaRoutes(defi: DefiUniverse(market: simulation), now: now)
        let lunarCrush = LunarCrushRoutes(market: simulation, now: now)
        let yahoo = YahooRoutes(stocks: StockSimulation(noise: SeededNoise(seed: seed ^ 0x570C), totalDays: totalDays), now: now)
        let exchanges = ExchangeRoutes(market: simulation, now: now)
        let routes: [@Sendable (HTTPRequest) -> HTTPResponse?] = [
            { coinGecko.handle($0) }, { defiLlama.handle($0) }, { lunarCrush.handle($0) }, { yahoo.handle($0) }, { exchanges.handle($0) },
        ]
        server = try HTTPServer(port: port) { [unowned self] request in
            if request.path == "/_emulator/stats" { return .init(.json(self.statsJSON())) }
            if request.headers["upgrade"]?.lowercased() == "websocket" { return self.upgrade(request, quotes: exchanges) }
            let fault = self.drawFault(for: request)
            switch fault {
            case .rateLimited(let retryAfter):
                return .init(HTTPResponse(status: 429, headers: [("Retry-After", retryAfter), ("Content-Type", "application/json")],
                                          body: Array(Self.rateLimitBody.utf8)))
            case .serverError(let status):
                return .init(.error(status, "upstream unavailable"))
            default:
                break
            }
            if let (response, delay) = ServerTimeRoutes.handle(request) { return .init(response, delay: delay) }
            let response = routes.lazy.compactMap { $0(request) }.first ?? .error(404, "Not Found")
            switch fault {
            case .truncated: return .init(response, truncateAt: max(1, response.body.count / 2))
            case .slow(let seconds): return .init(response, delay: seconds)
            default: return .init(response)
            }
        }
    }

    /// CoinGecko's real 429 body (shared/fixtures/real/coingecko/ERROR_http429_rate_limit_body.json).
    static let rateLimitBody = #"{"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."}}"#

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(server.port)" }
    public var port: UInt16 { server.port }

    /// Requests served so far (faulty ones included), in total.
    public var requestCount: Int {
        lock.lock(); defer { lock.unlock() }
        return counts.values.reduce(0, +)
    }

    /// Requests served so far per route family (e.g. `coins/markets`, `coins/market_chart`).
    public var requestCounts: [String: Int] {
        lock.lock(); defer { lock.unlock() }
        return counts
    }

    public func stop() { server.stop() }

    private enum Fault { case none, rateLimited(String), serverError(Int), truncated, slow(Double) }

    /// Counts the request and draws its fault from the plan.
    private func drawFault(for request: HTTPRequest) -> Fault {
        lock.lock()
        counts[Self.route(of: request.path), default: 0] += 1
        sequence += 1
        let n = sequence
        let plan = faults
        lock.unlock()
        guard !plan.isEmpty else { return .none }
        let noise = SeededNoise(seed: simulation.seed ^ 0xFA17)
        let u = noise.uniform(1, n)
        if u < plan.rateLimited { return .rateLimited(plan.retryAfter) }
        if u < plan.rateLimited + plan.serverErrors { return .serverError(noise.uniform(2, n) < 0.5 ? 500 : 503) }
        let v = noise.uniform(3, n)
        if v < plan.truncated { return .truncated }
        if v < plan.truncated + plan.slow { return .slow(plan.slowSeconds) }
        return .none
    }

    /// A venue's stream, or the refusal its plan asks for.
    private func upgrade(_ request: HTTPRequest, quotes: ExchangeRoutes) -> HTTPServer.ServedResponse {
        guard let venue = StreamVenue(path: request.path) else { return .init(.error(404, "no stream at \(request.path); use /stream (Binance), /v2 (Kraken) or / (Coinbase)")) }
        lock.lock()
        counts["\(venue.rawValue)/ws", default: 0] += 1
        lock.unlock()
        guard streamStats.admit(venue, plan: streams) else { return .init(.error(503, "\(venue.rawValue) is unavailable")) }
        var accepted = 0
        streamStats.update(venue) { accepted = $0.connections }
        let (plan, stats, seed, ordinal) = (streams, streamStats, simulation.seed, accepted)
        return .webSocket { connection in
            StreamSession(venue: venue, connection: connection, request: request, quotes: quotes, plan: plan, stats: stats, ordinal: ordinal, seed: seed).run()
        }
    }

    private func statsJSON() -> [UInt8] {
        let snapshot = requestCounts
        var writer = JSONWriter()
        writer.object { o in
            o.field("requests") { $0.number(Int64(snapshot.values.reduce(0, +))) }
            o.field("by_route") { r in r.object { obj in for key in snapshot.keys.sorted() { obj.field(key) { $0.number(Int64(snapshot[key]!)) } } } }
            o.field("streams") { streamStats.write(&$0) }
        }
        return writer.bytes
    }

    /// A short family name for counting: `/api/v3/coins/bitcoin/market_chart/range` -> `coingecko/market_chart`.
    static func route(of path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        if path.hasPrefix("/api/v3/coins/") {
            if parts.count >= 5 { return "coingecko/\(parts[4])" }
            return "coingecko/\(parts.last ?? "")"
        }
        switch path {
        case "/api/v3/time": return "binance/time"
        case "/0/public/Time": return "kraken/time"
        case "/time": return "coinbase/time"
        default: break
        }
        if path.hasPrefix("/api/v3/ticker") { return "binance/ticker" }
        if path.hasPrefix("/0/public/") { return "kraken/ticker" }
        if path.hasPrefix("/products/") { return "coinbase/ticker" }
        if path.hasPrefix("/v8/finance/chart/") { return "yahoo/chart" }
        if path.hasPrefix("/api4/") { return "lunarcrush/time-series" }
        if path.hasPrefix("/v2/historicalChainTvl") { return "defillama/chain_tvl" }
        if path == "/v2/chains" { return "defillama/chains" }
        if path.hasPrefix("/protocol") { return "defillama/protocol" }
        if path.hasPrefix("/summary/dexs") { return "defillama/dex_volume" }
        return parts.prefix(2).joined(separator: "/")
    }
}

