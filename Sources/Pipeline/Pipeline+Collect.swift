import Collector
import Foundation
import Warehouse

extension Pipeline {
    /// The stream feeds of `venues` for `symbols`: each venue at its `<VENUE>_WS_URL`, or,
    /// left unset, at the built-in emulator (started then).
    /// - Throws: `CollectorError.unknownVenue`, `.noSymbols`, `.badURL` for a variable that is
    ///   not a ws:// URL.
    public func streamFeeds(venues: [String], symbols: [String]) throws -> [VenueFeed] {
        try venues.map { name in
            guard let venue = VenueFeed.Venue(rawValue: name.lowercased()) else { throw CollectorError.unknownVenue(name) }
            var base: String
            if let given = environment[venue.urlVariable], !given.isEmpty {
                base = given
                guard given.lowercased().hasPrefix("ws://") || given.lowercased().hasPrefix("wss://") else {
                    throw CollectorError.badURL(variable: venue.urlVariable, value: given, reason: "it does not start with ws:// or wss://")
                }
            } else {
                base = try runningEmulator().baseURL.replacingOccurrences(of: "http://", with: "ws://") + venue.emulatorPath
            }
            return try VenueFeed(venue: venue, baseURL: base, symbols: symbols)
        }
    }
}
