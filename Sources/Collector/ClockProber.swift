import Foundation
import HTTPClient
import Warehouse
import WebSocket

/// Measures round trips to a venue's server-time endpoint on a thread of its own, so a probe
/// never holds up the reading of the stream (a message waiting in the socket would get a late
/// reception time). The venue's worker takes the results and writes them as `clock_probe`
/// events: where a venue stamps no time on its tickers (Kraken), half the round trip is the
/// only honest estimate of how late its data is.
final class ClockProber: @unchecked Sendable {
    /// One probe: when the request left, its round trip, and the answer (or why there is none).
    struct Result: Sendable {
        let sentMillis: Int64
        let roundTripMicros: Int64
        let status: Int?
        let body: String?
        let error: String?
    }

    let url: String
    /// Seconds between probes.
    let every: Double
    private let stop: StopFlag
    private let lock = NSLock()
    private var results: [Result] = []
    private var finished = false

    /// Ends probing when its worker ends early (the run's own stop ends every prober).
    func finish() { lock.lock(); finished = true; lock.unlock() }

    private var running: Bool {
        lock.lock(); defer { lock.unlock() }
        return !finished && !stop.isRaised
    }

    init(url: String, every: Double, stop: StopFlag) {
        self.url = url
        self.every = every
        self.stop = stop
    }

    /// Starts probing now and every `every` seconds until stop is raised.
    func start() {
        let thread = Thread { [self] in
            let client = CurlHTTPClient(timeout: 5)
            while running {
                let next = WebSocketConnection.monotonicSeconds() + every
                let result = probe(client)
                lock.lock(); results.append(result); lock.unlock()
                while running, WebSocketConnection.monotonicSeconds() < next { Thread.sleep(forTimeInterval: 0.1) }
            }
        }
        thread.name = "probe"
        thread.start()
    }

    /// The results since the last call, oldest first.
    func take() -> [Result] {
        lock.lock(); defer { lock.unlock() }
        let taken = results
        results.removeAll()
        return taken
    }

    private func probe(_ client: CurlHTTPClient) -> Result {
        let sent = Reception.now()
        do {
            let response = try client.get(url)
            // The server's round trip alone: a probe that had to connect first (the first one, or
            // after the venue dropped the idle connection) would otherwise count DNS, TCP and TLS.
            let micros = response.roundTripMicros ?? (Reception.now().monotonicNanos - sent.monotonicNanos) / 1000
            return Result(sentMillis: sent.wallMillis, roundTripMicros: micros, status: response.status,
                          body: String(decoding: response.body.prefix(2000), as: UTF8.self), error: nil)
        } catch {
            return Result(sentMillis: sent.wallMillis, roundTripMicros: (Reception.now().monotonicNanos - sent.monotonicNanos) / 1000, status: nil, body: nil, error: "\(error)")
        }
    }
}
