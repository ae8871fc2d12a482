import Foundation
import Warehouse

/// The venues' server-time endpoints in their recorded shapes (shared/fixtures/real/ws/*/rest_*):
/// Binance `/api/v3/time` (`serverTime`, ms), Kraken `/0/public/Time` (`unixtime`, whole
/// seconds, and `rfc1123`), Coinbase Exchange `/time` (`iso`, `epoch` with ms). Each answers
/// after twice its venue's one-way latency (the stream profile's), stamped halfway, so a
/// collector's round trip halved is that latency: what it estimates Kraken's by.
enum ServerTimeRoutes {
    /// The response and how long to hold it, nil for another path.
    static func handle(_ request: HTTPRequest) -> (response: HTTPResponse, delay: Double)? {
        let venue: StreamVenue
        switch request.path {
        case "/api/v3/time": venue = .binance
        case "/0/public/Time": venue = .kraken
        case "/time": venue = .coinbase
        default: return nil
        }
        let oneWay = StreamProfile.of(venue).latencyMillis
        let stamp = Date().timeIntervalSince1970 + oneWay / 1000
        let millis = Int64((stamp * 1000).rounded(.down))
        var w = JSONWriter()
        switch venue {
        case .binance:
            w.object { $0.field("serverTime") { $0.number(millis) } }
        case .kraken:
            w.object { root in
                root.field("error") { $0.array { _ in } }
                root.field("result") { r in
                    r.object { o in
                        o.field("unixtime") { $0.number(millis / 1000) }
                        o.field("rfc1123") { $0.string(rfc1123(seconds: millis / 1000)) }
                    }
                }
            }
        case .coinbase:
            w.object { o in
                o.field("iso") { $0.string(ISO8601.format(unixMilliseconds: millis)) }
                o.field("epoch") { $0.number(Double(millis) / 1000) }
            }
        }
        return (.json(w.bytes), 2 * oneWay / 1000)
    }

    /// `Tue, 11 Nov 25 00:17:04 +0000`, as Kraken writes it (two-digit year).
    static func rfc1123(seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%@, %02d %@ %02d %02d:%02d:%02d +0000", days[Int(parts.tm_wday)], parts.tm_mday, months[Int(parts.tm_mon)],
                      parts.tm_year % 100, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
