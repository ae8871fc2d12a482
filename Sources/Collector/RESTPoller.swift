import Foundation
import HTTPClient
import Warehouse
import WebSocket

/// Polls a venue's REST ticker (the collector's polling mode, and its fallback while a stream
/// is down) and stores each answer verbatim as a segment line marked with the request it
/// answers; a failed poll is a `poll_failed` event with the status or error. A 429 or 418 is
/// honoured: nothing is sent again before its Retry-After (`RetryPolicy`'s reading of it).
final class RESTPoller {
    let feed: VenueFeed
    /// Seconds between polls.
    let every: Double
    private let client: CurlHTTPClient
    private var nextDue: Double = 0
    /// Rate-limit answers in a row, for the backoff when one gives no usable Retry-After.
    private var limited = 0
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
                    // The fetchers' reading of Retry-After: a usable hint up to an hour, else backoff
                    // from the poll interval (a hostile "nan" or "-1" never stops the polls).
                    limited += 1
                    let wait = RetryPolicy(baseDelay: every, maxDelay: 600, maxRetryAfter: 3600).delay(afterAttempt: limited, retryAfter: response.headers["retry-after"])
                    nextDue = max(nextDue, WebSocketConnection.monotonicSeconds() + wait)
                    return
                }
                continue
            }
            limited = 0
            try writer.message([UInt8](response.body), received: .now(), connection: connection, poll: target)
            polls += 1
        }
    }
}
