import ArgumentParser
import Collector
import Foundation
import Pipeline
import Warehouse

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect the exchanges' WebSocket ticker streams into stream segments until stopped.",
        discussion: """
            Every message is stored verbatim with its reception time in raw/YYYY-MM-DD/<venue>/ws_ticker/<worker>-<HHMMSS>.jsonl (docs/stream_segments.md), together with every connection event (connected, subscribed, subscribe_failed, closed with code and reason, reconnect_attempt). Lines reach the disk at least every --flush-seconds; a segment is closed (renamed into place, then described by its .meta.json) every --roll-seconds and on stop. SIGINT or SIGTERM stops the collector cleanly.
            It does not take the root's run lock: `warehouse materialize tag:exchanges+` runs beside it and reads only closed segments.
            Streams come from BINANCE_WS_URL, KRAKEN_WS_URL and COINBASE_WS_URL (ws:// or wss://); REST polls and clock probes from BINANCE_BASE_URL, KRAKEN_BASE_URL and COINBASE_BASE_URL (the venue's public API when only its stream URL is set). A venue left unset is served by the built-in emulator.
            --mode ws streams and, while a stream is down, polls the venue's REST ticker every --poll-seconds (lines marked "poll"); --mode poll only polls; --mode kraken=poll,binance=ws sets it per venue. Every --probe-seconds the round trip to each venue's server-time endpoint is measured (clock_probe events): half of it estimates the latency of a venue that stamps no time on its tickers (Kraken).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Venues to collect, comma-separated (default: exchanges.venues).", valueName: "binance,kraken,coinbase"))
    var exchanges: String?

    @Option(help: ArgumentHelp("Symbols as BASE/QUOTE, comma-separated (default: exchanges.symbols).", valueName: "BTC/USDT,ETH/USDT"))
    var symbols: String?

    @Option(help: ArgumentHelp("Stop after this long (e.g. 90s, 10m, 24h); without it, run until SIGINT or SIGTERM.", valueName: "DURATION"))
    var duration: String?

    @Option(help: "Names this collector's segment files; two collectors on one root need two names.")
    var worker = "main"

    @Option(help: "Longest time a received line waits in memory before it is written (seconds).")
    var flushSeconds = 1.0

    @Option(help: "Close a segment and open the next after this many seconds.")
    var rollSeconds = 60.0

    @Option(help: "Reconnect when a venue sends nothing for this many seconds.")
    var stallSeconds = 10.0

    @Option(help: ArgumentHelp("ws or poll, for every venue or per venue (kraken=poll,binance=ws).", valueName: "MODE"))
    var mode = "ws"

    @Option(help: "Seconds between REST ticker polls (--mode poll, and the fallback while a stream is down).")
    var pollSeconds = 2.0

    @Flag(help: "In ws mode, never poll the REST ticker while a stream is down.")
    var noFallback = false

    @Option(help: "Seconds between round-trip probes of each venue's server-time endpoint (0: none).")
    var probeSeconds = 60.0

    func validate() throws {
        if let duration, Self.seconds(duration) == nil {
            throw ValidationError("--duration '\(duration)' is not a duration: write a number with s, m, h or d (e.g. 10m).")
        }
        guard RawKey.isValid(worker), !worker.contains("-") else { throw ValidationError("--worker '\(worker)' must be letters, digits, _ or . only (no '-').") }
        guard flushSeconds > 0, flushSeconds <= 1 else { throw ValidationError("--flush-seconds must be above 0 and at most 1, got \(flushSeconds).") }
        guard rollSeconds >= 1 else { throw ValidationError("--roll-seconds must be at least 1, got \(rollSeconds).") }
        guard stallSeconds >= 1 else { throw ValidationError("--stall-seconds must be at least 1, got \(stallSeconds).") }
        guard pollSeconds >= 0.2, pollSeconds <= 86_400 else { throw ValidationError("--poll-seconds must be between 0.2 and 86400, got \(pollSeconds).") }
        guard probeSeconds == 0 || (probeSeconds >= 1 && probeSeconds <= 86_400) else {
            throw ValidationError("--probe-seconds must be 0 (no probes) or between 1 and 86400, got \(probeSeconds).")
        }
        _ = try Self.modes(mode)
    }

    /// `ws`, `poll`, or `venue=mode,...`: the mode of each venue named (`*` for all).
    static func modes(_ text: String) throws -> [String: VenueFeed.Mode] {
        var modes: [String: VenueFeed.Mode] = [:]
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let sides = item.split(separator: "=", maxSplits: 1).map(String.init)
            let (venue, name) = sides.count == 2 ? (sides[0].lowercased(), sides[1]) : ("*", sides.first ?? "")
            guard let mode = VenueFeed.Mode(rawValue: name.lowercased()) else {
                throw ValidationError("--mode '\(text)': '\(name)' is not a mode; use ws or poll, for all venues or as venue=mode (kraken=poll).")
            }
            guard venue == "*" || VenueFeed.Venue(rawValue: venue) != nil else {
                throw ValidationError("--mode '\(text)': '\(venue)' is not a venue; use binance, kraken or coinbase.")
            }
            modes[venue] = mode
        }
        return modes
    }

    /// `90s`, `10m`, `24h`, `1d` or plain seconds.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let unit = text.last.flatMap { units[$0] }
        guard let value = Double(unit == nil ? text : String(text.dropLast())), value > 0, value.isFinite else { return nil }
        return value * (unit ?? 1)
    }

    func run() throws {
        let pipeline = try global.pipeline()
        let venues = exchanges.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? pipeline.settings.exchanges
        let pairs = symbols.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? pipeline.settings.exchangeSymbols
        var modes = try Self.modes(mode)
        if let all = modes.removeValue(forKey: "*") { for venue in VenueFeed.Venue.allCases where modes[venue.rawValue] == nil { modes[venue.rawValue] = all } }
        let feeds = try pipeline.streamFeeds(venues: venues, symbols: pairs, modes: modes)
        var options = Collector.Options()
        options.worker = worker
        options.flushSeconds = flushSeconds
        options.rollSeconds = rollSeconds
        options.stallSeconds = stallSeconds
        options.pollSeconds = pollSeconds
        options.fallbackAfter = noFallback ? nil : max(2, pollSeconds)
        options.probeSeconds = probeSeconds > 0 ? probeSeconds : nil
        let stop = StopFlag()
        let signals = StopSignals { stop.raise() }
        for feed in feeds {
            print(feed.mode == .ws ? "Collecting \(feed.venue.rawValue) from \(feed.url)" : "Polling \(feed.venue.rawValue) at \(feed.restBase) every \(pollSeconds) s")
        }
        let report = try Collector(layout: pipeline.layout, feeds: feeds, options: options).run(stop: stop, duration: duration.flatMap(Self.seconds))
        signals.cancel()
        for path in report.recovered { print("Closed \(path), left open by an earlier run.") }
        for venue in report.venues {
            var line = "\(venue.venue): \(venue.messages) messages, \(venue.connections) connections, \(venue.disconnects) disconnects, \(venue.segments) segments"
            if venue.failedConnects > 0 { line += ", \(venue.failedConnects) failed connects" }
            if venue.refusedSubscriptions > 0 { line += ", \(venue.refusedSubscriptions) refused subscriptions" }
            if venue.polls + venue.failedPolls > 0 { line += ", \(venue.polls) polls" + (venue.failedPolls > 0 ? " (\(venue.failedPolls) failed)" : "") }
            if venue.clockProbes > 0 { line += ", \(venue.clockProbes) clock probes" }
            print(line)
            if let failure = venue.failure { print("  stopped early: \(failure)") }
        }
        print("Done in \(String(format: "%.1f", report.seconds)) s.")
        if report.venues.contains(where: { $0.failure != nil }) { throw ExitCode(1) }
    }
}
