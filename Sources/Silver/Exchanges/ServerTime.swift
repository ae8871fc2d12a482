import Foundation
import Warehouse

/// The venue's own clock in an answer of its server-time endpoint (the collector's clock
/// probes, shapes in shared/fixtures/real/ws/*/rest_*): Binance `serverTime` in ms, Kraken
/// `result.unixtime` in whole seconds (so its clock is known to the second only), Coinbase
/// Exchange `epoch` in seconds with ms.
enum ServerTime {
    /// Unix ms, or nil when the body is not that venue's answer or holds no time between 1970 and 2200.
    static func millis(venue: String, body: String) -> Int64? {
        guard let document = try? JSONValue.parse(Data(body.utf8)) else { return nil }
        switch venue {
        case "binance": return document["serverTime"]?.number.flatMap(InputNumber.unixMilliseconds)
        case "kraken": return document["result"]?["unixtime"]?.number.flatMap(InputNumber.unixSeconds).map { $0 * 1000 }
        case "coinbase": return document["epoch"]?.number.flatMap { InputNumber.unixMilliseconds(($0 * 1000).rounded()) }
        default: return nil
        }
    }
}
