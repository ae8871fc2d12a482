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
            Streams come from BINANCE_WS_URL, KRAKEN_WS_URL and COINBASE_WS_URL (ws://host:port/path); a venue left unset is served by the built-in emulator.
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

    func validate() throws {
        if let duration, Self.seconds(duration) == nil {
            throw ValidationError("--duration '\(duration)' is not a duration: write a number with s, m, h or d (e.g. 10m).")
        }
        guard RawKey.isValid(worker), !worker.contains("-") else { throw ValidationError("--worker '\(worker)' must be letters, digits, _ or . only (no '-').") }
        guard flushSeconds > 0, flushSeconds <= 1 else { throw ValidationError("--flush-seconds must be above 0 and at most 1, got \(flushSeconds).") }
        guard rollSeconds >= 1 else { throw ValidationError("--roll-seconds must be at least 1, got \(rollSeconds).") }
        guard stallSeconds >= 1 else { throw ValidationError("--stall-seconds must be at least 1, got \(stallSeconds).") }
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
        let feeds = try pipeline.streamFeeds(venues: venues, symbols: pairs)
        var options = Collector.Options()
        options.worker = worker
        options.flushSeconds = flushSeconds
        options.rollSeconds = rollSeconds
        options.stallSeconds = stallSeconds
        let stop = StopFlag()
        let signals = StopSignals { stop.raise() }
        for feed in feeds { print("Collecting \(feed.venue.rawValue) from \(feed.url)") }
        let report = try Collector(layout: pipeline.layout, feeds: feeds, options: options).run(stop: stop, duration: duration.flatMap(Self.seconds))
        signals.cancel()
        for path in report.recovered { print("Closed \(path), left open by an earlier run.") }
        for venue in report.venues {
            var line = "\(venue.venue): \(venue.messages) messages, \(venue.connections) connections, \(venue.disconnects) disconnects, \(venue.segments) segments"
            if venue.failedConnects > 0 { line += ", \(venue.failedConnects) failed connects" }
            if venue.refusedSubscriptions > 0 { line += ", \(venue.refusedSubscriptions) refused subscriptions" }
            print(line)
            if let failure = venue.failure { print("  stopped early: \(failure)") }
        }
        print("Done in \(String(format: "%.1f", report.seconds)) s.")
        if report.venues.contains(where: { $0.failure != nil }) { throw ExitCode(1) }
    }
}
