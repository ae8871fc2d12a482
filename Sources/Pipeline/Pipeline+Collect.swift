import Collector
import Foundation
import Warehouse

extension Pipeline {
    /// The feeds of `venues` for `symbols`: each venue's stream at its `<VENUE>_WS_URL` and its
    /// REST API at its `<VENUE>_BASE_URL`; a stream URL left unset is the built-in emulator's
    /// (started then), and so is the REST API then, whatever `<VENUE>_BASE_URL` says; a REST URL
    /// left unset beside a given stream URL is the venue's public API.
    /// - Parameter modes: per venue, `ws` (the default) or `poll`.
    /// - Throws: `CollectorError.unknownVenue`, `.noSymbols`, `.badURL` for a variable that is
    ///   not a ws:// or wss:// URL.
    public func streamFeeds(venues: [String], symbols: [String], modes: [String: VenueFeed.Mode] = [:]) throws -> [VenueFeed] {
        try venues.map { name in
            guard let venue = VenueFeed.Venue(rawValue: name.lowercased()) else { throw CollectorError.unknownVenue(name) }
            let stream: String, rest: String
            if let given = environment[venue.urlVariable], !given.isEmpty {
                guard given.lowercased().hasPrefix("ws://") || given.lowercased().hasPrefix("wss://") else {
                    throw CollectorError.badURL(variable: venue.urlVariable, value: given, reason: "it does not start with ws:// or wss://")
                }
                stream = given
                rest = environment[venue.restVariable].flatMap { $0.isEmpty ? nil : $0 } ?? venue.publicRESTURL
            } else {
                // Stream and REST from the same place: polls and probes of a real venue beside the
                // emulator's stream would mix two markets in one segment.
                let emulator = try runningEmulator().baseURL
                stream = emulator.replacingOccurrences(of: "http://", with: "ws://") + venue.emulatorPath
                rest = emulator
            }
            return try VenueFeed(venue: venue, baseURL: stream, restBase: rest, symbols: symbols, mode: modes[venue.rawValue] ?? .ws)
        }
    }
}
