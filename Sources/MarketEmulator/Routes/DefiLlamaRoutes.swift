import Foundation
import Warehouse

/// DeFi Llama: `/v2/chains`, `/v2/historicalChainTvl/{chain}`, `/protocols`, `/protocol/{slug}`,
/// `/summary/dexs/{slug}`, in the real API's shapes.
struct DefiLlamaRoutes: Sendable {
    let defi: DefiUniverse
    let now: @Sendable () -> Int64

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let parts = request.path.split(separator: "/").map(String.init)
        switch parts.first {
        case "v2" where parts.count == 2 && parts[1] == "chains": return chains()
        case "v2" where parts.count == 3 && parts[1] == "historicalChainTvl": return chainHistory(parts[2])
        case "protocols" where parts.count == 1: return protocols()
        case "protocol" where parts.count == 2: return protocolDetail(parts[1])
        case "summary" where parts.count == 3 && parts[1] == "dexs": return dexSummary(parts[2])
        default: return nil
        }
    }

    private var today: Int { defi.days(through: now()).last ?? 0 }

    private func dayStamp(_ day: Int) -> Int64 { MarketSimulation.genesisUnixSeconds + Int64(day) * 86_400 }

    func chains() -> HTTPResponse {
        var w = JSONWriter()
        w.array { list in
            for chain in DefiUniverse.chains {
                list.object { o in
                    o.field("gecko_id") { $0.optionalString(chain.geckoID) }
                    o.field("tvl") { $0.number(defi.chainTVL(chain, day: today)) }
                    o.field("tokenSymbol") { $0.optionalString(chain.tokenSymbol) }
                    o.field("cmcId") { $0.null() }
                    o.field("name") { $0.string(chain.name) }
                    o.field("chainId") { $0.optionalNumber(chain.chainID.map(Double.init)) }
                }
            }
        }
        return .json(w.bytes)
    }

    func chainHistory(_ name: String) -> HTTPResponse {
        guard let chain = DefiUniverse.chains.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            return .error(400, "Chain not found")
        }
        var w = JSONWriter(capacity: today * 48)
        w.array { list in
            for day in 0...today {
                list.object { o in
                    o.field("date") { $0.number(dayStamp(day)) }
                    o.field("tvl") { $0.number(defi.chainTVL(chain, day: day)) }
                }
            }
        }
        return .json(w.bytes)
    }

    func protocols() -> HTTPResponse {
        var w = JSONWriter()
        w.array { list in
            for spec in DefiUniverse.protocols {
                list.object { o in
                    o.field("id") { $0.string(String(spec.slug.hashValueStable % 5000)) }
                    o.field("name") { $0.string(spec.name) }
                    o.field("slug") { $0.string(spec.slug) }
                    o.field("symbol") { $0.string(spec.symbol) }
                    o.field("gecko_id") { $0.optionalString(spec.geckoID) }
                    o.field("category") { $0.string(spec.category) }
                    o.field("chains") { a in a.array { for c in spec.chains { $0.string(c) } } }
                    o.field("tvl") { $0.number(spec.chains.reduce(0) { $0 + defi.protocolTVL(spec, chain: $1, day: today) }) }
                    o.field("chainTvls") { c in c.object { obj in for chain in spec.chains { obj.field(chain) { $0.number(defi.protocolTVL(spec, chain: chain, day: today)) } } } }
                }
            }
        }
        return .json(w.bytes)
    }

    func protocolDetail(_ slug: String) -> HTTPResponse {
        guard let spec = DefiUniverse.protocols.first(where: { $0.slug == slug }) else {
            return .error(400, "Protocol not found")
        }
        var w = JSONWriter(capacity: today * 60 * (spec.chains.count + 1))
        w.object { o in
            o.field("id") { $0.string(String(spec.slug.hashValueStable % 5000)) }
            o.field("name") { $0.string(spec.name) }
            o.field("symbol") { $0.string(spec.symbol) }
            o.field("gecko_id") { $0.optionalString(spec.geckoID) }
            o.field("category") { $0.string(spec.category) }
            o.field("chains") { a in a.array { for c in spec.chains { $0.string(c) } } }
            o.field("tvl") { series in
                series.array { list in
                    for day in 0...today {
                        list.object { point in
                            point.field("date") { $0.number(dayStamp(day)) }
                            point.field("totalLiquidityUSD") { $0.number(spec.chains.reduce(0) { $0 + defi.protocolTVL(spec, chain: $1, day: day) }.rounded()) }
                        }
                    }
                }
            }
            o.field("chainTvls") { c in
                c.object { obj in
                    for chain in spec.chains {
                        obj.field(chain) { entry in
                            entry.object { e in
                                e.field("tvl") { series in
                                    series.array { list in
                                        for day in 0...today {
                                            list.object { point in
                                                point.field("date") { $0.number(dayStamp(day)) }
                                                point.field("totalLiquidityUSD") { $0.number(defi.protocolTVL(spec, chain: chain, day: day).rounded()) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            o.field("currentChainTvls") { c in c.object { obj in for chain in spec.chains { obj.field(chain) { $0.number(defi.protocolTVL(spec, chain: chain, day: today).rounded()) } } } }
        }
        return .json(w.bytes)
    }

    func dexSummary(_ slug: String) -> HTTPResponse {
        guard let spec = DefiUniverse.protocols.first(where: { $0.slug == slug && $0.isDex }) else {
            return .error(404, "Protocol \(slug) not found")
        }
        var w = JSONWriter(capacity: today * 30)
        w.object { o in
            o.field("name") { $0.string(spec.slug) }
            o.field("displayName") { $0.string(spec.name) }
            o.field("gecko_id") { $0.optionalString(spec.geckoID) }
            o.field("chains") { a in a.array { for c in spec.chains { $0.string(c) } } }
            o.field("total24h") { $0.number(defi.dexVolume(spec, day: today).rounded()) }
            o.field("totalDataChart") { series in
                series.array { list in
                    for day in 0...today {
                        list.array { pair in pair.number(dayStamp(day)); pair.number(defi.dexVolume(spec, day: day).rounded()) }
                    }
                }
            }
        }
        return .json(w.bytes)
    }
}
