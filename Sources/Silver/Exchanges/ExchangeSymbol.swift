/// Exchange symbols normalised to `BASE/QUOTE`: Kraken's `XXBTZUSD` and `XBTUSDT`, Binance's
/// `BTCUSDT` and Coinbase's `BTC-USD` all name the same kind of pair; USDT and USD stay distinct.
enum ExchangeSymbol {
    static let quotes = ["USDT", "USDC", "BUSD", "USD", "EUR", "GBP", "BTC", "ETH"]
    static let aliases = ["XBT": "BTC", "XDG": "DOGE"]

    /// (base, quote) of an exchange's symbol, nil when no known quote ends it.
    static func split(_ raw: String, exchange: String) -> (String, String)? {
        var text = raw.uppercased()
        if let colon = text.firstIndex(of: ":") { text = String(text[..<colon]) }
        for separator in ["/", "-"] where text.contains(separator) {
            let parts = text.split(separator: Character(separator)).map(String.init)
            return parts.count == 2 ? (normalize(parts[0]), normalize(parts[1])) : nil
        }
        if exchange == "kraken", text.count == 8, text.hasPrefix("X"), text.dropFirst(4).hasPrefix("Z") {
            // Kraken's legacy names: X + base + Z + fiat.
            return (normalize(String(text.dropFirst().prefix(3))), normalize(String(text.suffix(3))))
        }
        for quote in quotes where text.hasSuffix(quote) && text.count > quote.count {
            return (normalize(String(text.dropLast(quote.count))), quote)
        }
        return nil
    }

    static func normalize(_ asset: String) -> String {
        var asset = asset
        if asset.count == 4, asset.hasPrefix("X") || asset.hasPrefix("Z"), aliases[String(asset.dropFirst())] != nil || ["ETH", "USD", "EUR"].contains(String(asset.dropFirst())) {
            asset = String(asset.dropFirst())
        }
        return aliases[asset] ?? asset
    }
}
