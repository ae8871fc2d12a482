/// How the emulator's exchange WebSocket streams behave: message rates, latency, and the
/// faults a collector must survive. Deterministic in the seed and each connection's number.
public struct StreamPlan: Sendable, Equatable {
    /// Ticker messages per second per subscribed symbol.
    public var messagesPerSecond: Double = 2
    /// A connection is dropped after this many seconds (nil: never). Drops alternate between a
    /// close frame (Binance announces it with `serverShutdown` first) and a silent stall.
    public var disconnectEvery: Double?
    /// How long a stalled connection stays silent before its socket is closed.
    public var stallSeconds: Double = 3
    /// Share of messages sent malformed (cut short), for reject handling.
    public var badMessages: Double = 0
    /// Share of messages whose prices are 5% off the venue's own (up or down, that message
    /// only): the outliers `silver.exchange_outliers` must flag.
    public var priceSpikes: Double = 0
    /// Venues that answer every subscription with an error.
    public var refusingVenues: Set<String> = []
    /// Venues that refuse every upgrade with HTTP 503: down for the whole run.
    public var downVenues: Set<String> = []
    /// After a drop, this many reconnect attempts are refused with 503 before one is accepted.
    public var refusedReconnects = 0

    public init(messagesPerSecond: Double = 2, disconnectEvery: Double? = nil, stallSeconds: Double = 3, badMessages: Double = 0, priceSpikes: Double = 0,
                refusingVenues: Set<String> = [], downVenues: Set<String> = [], refusedReconnects: Int = 0) {
        self.messagesPerSecond = messagesPerSecond
        self.disconnectEvery = disconnectEvery
        self.stallSeconds = stallSeconds
        self.badMessages = badMessages
        self.priceSpikes = priceSpikes
        self.refusingVenues = refusingVenues
        self.downVenues = downVenues
        self.refusedReconnects = refusedReconnects
    }

    /// Quiet, well-behaved streams.
    public static let calm = StreamPlan()
}

/// Each venue's own character: how late its clock stamps are against ours, how often it
/// sends heartbeats.
struct StreamProfile: Sendable {
    /// Typical and spread of the delay between the exchange's stamp and the send, in ms.
    let latencyMillis: Double
    let latencyJitter: Double
    let heartbeatSeconds: Double

    static func of(_ venue: StreamVenue) -> StreamProfile {
        switch venue {
        case .binance: return StreamProfile(latencyMillis: 15, latencyJitter: 10, heartbeatSeconds: 20)
        case .kraken: return StreamProfile(latencyMillis: 40, latencyJitter: 30, heartbeatSeconds: 1)
        case .coinbase: return StreamProfile(latencyMillis: 25, latencyJitter: 20, heartbeatSeconds: 1)
        }
    }
}
