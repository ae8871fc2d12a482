/// Builds the simulated coin list: a few well-known names, wrapped and bridged versions of
/// the natives, and a long tail of synthetic coins, some listed late and some that die.
enum CoinUniverse {
    static let knownNatives: [(id: String, symbol: String, name: String, price: Double, cap: Double)] = [
        ("bitcoin", "btc", "Bitcoin", 16_600, 3.2e11), ("ethereum", "eth", "Ethereum", 1_200, 1.45e11),
        ("tether", "usdt", "Tether", 1, 6.6e10), ("binancecoin", "bnb", "BNB", 245, 3.9e10),
        ("usd-coin", "usdc", "USD Coin", 1, 4.4e10), ("ripple", "xrp", "XRP", 0.34, 1.7e10),
        ("cardano", "ada", "Cardano", 0.25, 8.6e9), ("dogecoin", "doge", "Dogecoin", 0.07, 9.3e9),
        ("solana", "sol", "Solana", 10, 3.6e9), ("matic-network", "matic", "Polygon", 0.76, 6.6e9),
        ("polkadot", "dot", "Polkadot", 4.3, 5.0e9), ("tron", "trx", "TRON", 0.055, 5.0e9),
        ("litecoin", "ltc", "Litecoin", 70, 5.0e9), ("avalanche-2", "avax", "Avalanche", 11, 3.4e9),
        ("chainlink", "link", "Chainlink", 5.6, 2.9e9), ("uniswap", "uni", "Uniswap", 5.2, 3.9e9),
        ("cosmos", "atom", "Cosmos Hub", 9.4, 2.7e9), ("stellar", "xlm", "Stellar", 0.072, 1.9e9),
        ("aave", "aave", "Aave", 52, 7.3e8), ("arbitrum", "arb", "Arbitrum", 1.2, 1.5e9),
    ]

    /// (id, symbol, name, native id, platform).
    static let wrapped: [(String, String, String, String, String)] = [
        ("wrapped-bitcoin", "wbtc", "Wrapped Bitcoin", "bitcoin", "ethereum"),
        ("weth", "weth", "WETH", "ethereum", "ethereum"),
        ("staked-ether", "steth", "Lido Staked Ether", "ethereum", "ethereum"),
        ("binance-bitcoin", "btcb", "Binance Bitcoin", "bitcoin", "binance-smart-chain"),
        ("bridged-usdc-polygon-pos-bridge", "usdc.e", "Bridged USDC (Polygon PoS Bridge)", "usd-coin", "polygon-pos"),
        ("wrapped-solana", "sol", "Wrapped SOL", "solana", "solana"),
    ]

    /// Synthetic ids of coins that were large two years ago and died since: the survivorship case.
    static let famousDeaths = ["terra-nova", "celsius-wave", "ftx-echo"]

    static let syllables = ["zor", "bit", "lum", "nex", "qua", "vel", "dri", "kor", "sol", "mira", "tek", "pho",
                            "rax", "ly", "on", "gen", "chi", "vo", "sta", "fin", "ark", "blu", "cy", "dex"]
    static let suffixes = ["", "-finance", "-protocol", "-network", "-swap", "-chain", "-dao", "-ai"]

    static func build(count: Int, noise: SeededNoise, totalHours: Int) -> [SimulatedCoin] {
        var coins: [SimulatedCoin] = []
        var usedIDs = Set<String>()
        func add(_ make: (Int) -> SimulatedCoin) {
            let coin = make(coins.count)
            usedIDs.insert(coin.id)
            coins.append(coin)
        }
        let natives = knownNatives.prefix(max(2, min(knownNatives.count, count - wrapped.count)))
        for native in natives {
            add { index in
                let stable = native.price == 1
                return SimulatedCoin(
                    index: index, id: native.id, symbol: native.symbol, name: native.name, listedHour: 0, delistedHour: nil,
                    initialPrice: native.price, supply: native.cap / native.price, maxSupply: native.id == "bitcoin" ? 21_000_000 : nil,
                    drift: stable ? 0 : 0.00002 + 0.00002 * noise.normal(11, UInt64(index)),
                    volatility: stable ? 0.0004 : 0.005 + 0.003 * noise.uniform(12, UInt64(index)),
                    wrappedOf: nil, isStable: stable, platforms: [], turnover: 0.002 + 0.004 * noise.uniform(13, UInt64(index)))
            }
        }
        for token in wrapped where coins.count < count {
            guard let native = coins.first(where: { $0.id == token.3 }) else { continue }
            add { index in
                SimulatedCoin(
                    index: index, id: token.0, symbol: token.1, name: token.2, listedHour: 0, delistedHour: nil,
                    initialPrice: native.initialPrice, supply: native.supply * (0.01 + 0.04 * noise.uniform(14, UInt64(index))),
                    maxSupply: nil, drift: 0, volatility: 0.0005, wrappedOf: native.index, isStable: native.isStable,
                    platforms: [(token.4, Self.address(noise, index))], turnover: 0.001 + 0.003 * noise.uniform(13, UInt64(index)))
            }
        }
        var serial = 0
        // Generated coins are numbered from here: the known natives and the wrapped tokens that made it in come first.
        let firstGenerated = coins.count
        while coins.count < count {
            let index = coins.count
            var id = ""
            repeat {
                let a = syllables[Int(noise.bits(20, UInt64(serial)) % UInt64(syllables.count))]
                let b = syllables[Int(noise.bits(21, UInt64(serial)) % UInt64(syllables.count))]
                let s = suffixes[Int(noise.bits(22, UInt64(serial)) % UInt64(suffixes.count))]
                id = a + b + s
                serial += 1
            } while usedIDs.contains(id)
            let deathSlot = coins.count - firstGenerated
            let famous = deathSlot < famousDeaths.count
            if famous { id = famousDeaths[deathSlot] }
            let u = noise.uniform(23, UInt64(index))
            let listedHour = famous || u < 0.8 ? 0 : Int(noise.uniform(24, UInt64(index)) * Double(totalHours) * 0.9)
            let dies = famous || noise.uniform(25, UInt64(index)) < 0.15
            let deathHour: Int? = dies
                ? (famous ? totalHours / 2 + deathSlot * 24 * 60
                          : listedHour + 24 * 30 + Int(noise.uniform(26, UInt64(index)) * Double(max(1, totalHours - listedHour - 24 * 30))))
                : nil
            // Rank-based size: famous deaths start in the top 20 (like LUNA once), the tail falls off as a power law.
            let rank = famous ? Double(5 + deathSlot * 4) : Double(index) + 10 * noise.uniform(27, UInt64(index))
            let cap = 2.5e11 * pow(rank + 1, -1.55)
            let price = exp(noise.uniform(28, UInt64(index)) * 9 - 5)
            let symbol = String(id.replacingOccurrences(of: "-", with: "").prefix(4))
            let name = id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
            let platforms = noise.uniform(29, UInt64(index)) < 0.4 ? [("ethereum", Self.address(noise, index))] : []
            add { index in
                SimulatedCoin(
                    index: index, id: id, symbol: symbol, name: name, listedHour: listedHour,
                    delistedHour: deathHour.map { min($0, totalHours * 4) },
                    initialPrice: price, supply: cap / price, maxSupply: noise.uniform(30, UInt64(index)) < 0.3 ? cap / price * 2 : nil,
                    drift: 0.000005 * noise.normal(31, UInt64(index)), volatility: 0.005 + 0.008 * noise.uniform(32, UInt64(index)),
                    wrappedOf: nil, isStable: false, platforms: platforms, turnover: 0.002 + 0.01 * noise.uniform(13, UInt64(index)))
            }
        }
        return coins
    }

    static func address(_ noise: SeededNoise, _ index: Int) -> String {
        "0x" + (0..<5).map { String(noise.bits(40 + UInt64($0), UInt64(index)) & 0xFFFF_FFFF, radix: 16) }.joined().prefix(40)
    }
}

import Foundation
