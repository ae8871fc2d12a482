/// One coin of the simulated market: who it is, when it lived, how it moves.
struct SimulatedCoin: Sendable {
    let index: Int
    let id: String
    let symbol: String
    let name: String
    /// Hour (since genesis) the coin was listed; its data starts there.
    let listedHour: Int
    /// Hour it was delisted, if it died; no data from then on and it moves to `status=inactive`.
    let delistedHour: Int?
    /// Price at listing, USD.
    let initialPrice: Double
    /// Circulating supply at listing.
    let supply: Double
    /// Maximum supply, when capped.
    let maxSupply: Double?
    /// Hourly drift and volatility of log price.
    let drift: Double
    let volatility: Double
    /// For wrapped and bridged tokens: the native coin it tracks.
    let wrappedOf: Int?
    /// Stablecoins stay near 1 USD.
    let isStable: Bool
    /// Contract addresses per platform, as /coins/list?include_platform=true shows them.
    let platforms: [(String, String)]
    /// Volume as a fraction of market cap per hour.
    let turnover: Double
}
