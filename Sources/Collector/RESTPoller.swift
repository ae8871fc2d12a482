import Foundation
import HTTPClient
import Warehouse
import WebSocket

/// Polls a venue's REST ticker (the collector's polling mode, and its fallback while a stream
/// is down) and stores each answer verbatim as a segment line marked with the request it
/// answers; a failed poll is a `poll_failed` event with the status or error. A 429 or 418 is
/// honoured: nothing is sent again before its Retry-After.
final class RESTPoller {
    let feed: VenueFeed
    /// Seconds between polls.
    let every: Double
    private let client: CurlHTTPClient
    private var nextDue: Double = 0
    private(set) var polls = 0
    private(set) var failures = 0

    init(feed: VenueFeed, every: Double, timeout: Double = 5) {
        self.feed = feed
        self.every = every
        client = CurlHTTPClient(timeout: timeout)
    }

    /// Polls every request of the venue when a poll is due.
    func pollIfDue(into writer: SegmentWriter, connection: Int64) throws {
        let now = WebSocketConnection.monotonicSeconds()
        guard now >= nextDue else { return }
        nextDue = now + every
        for request in feed.polls {
            let target = request.target
            let response: HTTPResponse
            do {
                response = try client.get(request.url(base: feed.restBase))
            } catch {
                failures += 1
                try writer.event("poll_failed", reason: "\(error)", detail: target, connection: connection)
                continue
            }
            guard response.status == 200 else {
                failures += 1
                try writer.event("poll_failed", code: Int64(response.status), reason: String(decoding: response.body.prefix(300), as: UTF8.self),
                                 detail: target, connection: connection)
                if [418, 429].contains(response.status) {
                    let wait = response.headers["retry-after"].flatMap(Double.init).map { min(max($0, 0), 3600) } ?? every * 10
                    nextDue = max(nextDue, WebSocketConnection.monotonicSeconds() + wait)
                    return
                }
                continue
            }
            try writer.message([UInt8](response.body), received: .now(), connection: connection, poll: target)
            polls += 1
        }
    }
}
