/// `BASE/QUOTE` for an exchange symbol, for tools and tests that normalise names the way
/// `silver.exchange_ticks` does.
public enum ExchangeSymbolProbe {
    public static func split(_ symbol: String, exchange: String = "kraken") -> String? {
        ExchangeSymbol.split(symbol, exchange: exchange).map { "\($0.0)/\($0.1)" }
    }
}
