import Foundation

/// DeFi Llama's side of the simulated market: chains and protocols whose TVL follows the
/// price of their coin, and DEXes whose volume follows their TVL.
struct DefiUniverse: Sendable {
    struct Chain: Sendable {
        let name: String
        let geckoID: String?
        let tokenSymbol: String?
        let baseTVL: Double
        let chainID: Int?
    }

    struct DefiProtocol: Sendable {
        let slug: String
        let name: String
        let geckoID: String?
        let symbol: String
        let category: String
        let chains: [String]
        let baseTVL: Double
        let isDex: Bool
    }

    static let chains: [Chain] = [
        Chain(name: "Ethereum", geckoID: "ethereum", tokenSymbol: "ETH", baseTVL: 5.0e10, chainID: 1),
        Chain(name: "Solana", geckoID: "solana", tokenSymbol: "SOL", baseTVL: 6.0e9, chainID: nil),
        Chain(name: "BSC", geckoID: "binancecoin", tokenSymbol: "BNB", baseTVL: 5.0e9, chainID: 56),
        Chain(name: "Tron", geckoID: "tron", tokenSymbol: "TRX", baseTVL: 7.0e9, chainID: nil),
        Chain(name: "Arbitrum", geckoID: "arbitrum", tokenSymbol: "ARB", baseTVL: 2.5e9, chainID: 42161),
        Chain(name: "Avalanche", geckoID: "avalanche-2", tokenSymbol: "AVAX", baseTVL: 1.0e9, chainID: 43114),
        Chain(name: "Polygon", geckoID: "matic-network", tokenSymbol: "MATIC", baseTVL: 1.1e9, chainID: 137),
        Chain(name: "Base", geckoID: nil, tokenSymbol: nil, baseTVL: 1.5e9, chainID: 8453),
    ]

    static let protocols: [DefiProtocol] = [
        DefiProtocol(slug: "aave", name: "Aave", geckoID: "aave", symbol: "AAVE", category: "Lending",
                 chains: ["Ethereum", "Polygon", "Avalanche", "Arbitrum"], baseTVL: 9.0e9, isDex: false),
        DefiProtocol(slug: "uniswap", name: "Uniswap", geckoID: "uniswap", symbol: "UNI", category: "Dexes",
                 chains: ["Ethereum", "Arbitrum", "Polygon", "Base"], baseTVL: 4.5e9, isDex: true),
        DefiProtocol(slug: "lido", name: "Lido", geckoID: "lido-dao", symbol: "LDO", category: "Liquid Staking",
                 chains: ["Ethereum"], baseTVL: 1.2e10, isDex: false),
        DefiProtocol(slug: "makerdao", name: "MakerDAO", geckoID: "maker", symbol: "MKR", category: "CDP",
                 chains: ["Ethereum"], baseTVL: 6.0e9, isDex: false),
        DefiProtocol(slug: "curve-dex", name: "Curve DEX", geckoID: "curve-dao-token", symbol: "CRV", category: "Dexes",
                 chains: ["Ethereum", "Arbitrum"], baseTVL: 2.5e9, isDex: true),
        DefiProtocol(slug: "pancakeswap", name: "PancakeSwap", geckoID: "pancakeswap-token", symbol: "CAKE", category: "Dexes",
                 chains: ["BSC"], baseTVL: 1.8e9, isDex: true),
        DefiProtocol(slug: "raydium", name: "Raydium", geckoID: "raydium", symbol: "RAY", category: "Dexes",
                 chains: ["Solana"], baseTVL: 6.0e8, isDex: true),
    ]

    let market: MarketSimulation

    /// Days since genesis with data, up to `now`.
    func days(through now: Int64) -> [Int] {
        Array(0...max(0, Int((now - MarketSimulation.genesisUnixSeconds) / 86_400)))
    }

    /// TVL of a chain at 00:00 UTC of a day: follows its coin (or ETH) with its own noise.
    func chainTVL(_ chain: Chain, day: Int) -> Double {
        let coin = chain.geckoID.flatMap { market.byID[$0] } ?? market.byID["ethereum"] ?? 0
        return chain.baseTVL * follow(coin: coin, day: day, salt: UInt64(chain.name.hashValueStable))
    }

    /// TVL of a protocol on one of its chains at 00:00 UTC.
    func protocolTVL(_ protocolSpec: DefiProtocol, chain: String, day: Int) -> Double {
        let coin = market.byID[protocolSpec.geckoID ?? ""] ?? market.byID["ethereum"] ?? 0
        let share = 1.0 / Double(protocolSpec.chains.count) * (protocolSpec.chains.first == chain ? 1.6 : 0.8)
        return protocolSpec.baseTVL * share * follow(coin: coin, day: day, salt: UInt64((protocolSpec.slug + chain).hashValueStable))
    }

    /// A DEX's traded volume on a day.
    func dexVolume(_ protocolSpec: DefiProtocol, day: Int) -> Double {
        let tvl = protocolSpec.chains.reduce(0) { $0 + protocolTVL(protocolSpec, chain: $1, day: day) }
        return tvl * (0.08 + 0.04 * market.noise.uniform(900 + UInt64(protocolSpec.slug.hashValueStable % 1000), UInt64(day)))
    }

    private func follow(coin: Int, day: Int, salt: UInt64) -> Double {
        let hour = day * 24
        let base = market.price(market.coins[coin], hour: 0)
        let ratio = market.price(market.coins[coin], hour: hour) / max(base, 1e-12)
        return pow(ratio, 0.7) * (1 + 0.02 * market.noise.normal(950 + salt % 10_000, UInt64(day)))
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is randomly seeded).
    var hashValueStable: Int {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int(hash & 0x7FFF_FFFF_FFFF)
    }
}
