import Foundation
import Warehouse

/// What the emulator's streams did, per venue: the facts a collector's counts are checked against.
final class StreamStats: @unchecked Sendable {
    struct Venue: Sendable {
        var connections = 0
        var refusedUpgrades = 0
        var refusedSubscriptions = 0
        var messages = 0
        var badMessages = 0
        /// Messages sent with prices 5% off (`StreamPlan.priceSpikes`).
        var priceSpikes = 0
        /// Drops the plan started; the ones that reached a client are `closes` and `stalls`.
        var dropsBegun = 0
        var closes = 0
        var stalls = 0
        /// Connections that ended for any reason the emulator did not schedule (the client left).
        var clientDisconnects = 0
    }

    private let lock = NSLock()
    private var venues: [String: Venue] = [:]
    private var attempts: [String: Int] = [:]

    func update(_ venue: StreamVenue, _ change: (inout Venue) -> Void) {
        lock.lock(); defer { lock.unlock() }
        change(&venues[venue.rawValue, default: Venue()])
    }

    /// Counts an upgrade attempt and says whether the plan refuses it: every one for a venue
    /// that is down, else the first `refusedReconnects` after each scheduled drop.
    func admit(_ venue: StreamVenue, plan: StreamPlan) -> Bool {
        lock.lock(); defer { lock.unlock() }
        if plan.downVenues.contains(venue.rawValue) {
            venues[venue.rawValue, default: Venue()].refusedUpgrades += 1
            return false
        }
        let drops = venues[venue.rawValue]?.dropsBegun ?? 0
        let refusedSoFar = attempts[venue.rawValue, default: 0]
        if drops > 0, refusedSoFar < drops * plan.refusedReconnects {
            attempts[venue.rawValue] = refusedSoFar + 1
            venues[venue.rawValue, default: Venue()].refusedUpgrades += 1
            return false
        }
        venues[venue.rawValue, default: Venue()].connections += 1
        return true
    }

    func write(_ o: inout JSONWriter) {
        lock.lock(); let snapshot = venues; lock.unlock()
        o.object { all in
            for name in snapshot.keys.sorted() {
                let v = snapshot[name]!
                all.field(name) { f in
                    f.object { s in
                        s.field("connections") { $0.number(Int64(v.connections)) }
                        s.field("refused_upgrades") { $0.number(Int64(v.refusedUpgrades)) }
                        s.field("refused_subscriptions") { $0.number(Int64(v.refusedSubscriptions)) }
                        s.field("messages") { $0.number(Int64(v.messages)) }
                        s.field("bad_messages") { $0.number(Int64(v.badMessages)) }
                        s.field("price_spikes") { $0.number(Int64(v.priceSpikes)) }
                        s.field("scheduled_closes") { $0.number(Int64(v.closes)) }
                        s.field("scheduled_stalls") { $0.number(Int64(v.stalls)) }
                        s.field("scheduled_drops") { $0.number(Int64(v.closes + v.stalls)) }
                        s.field("client_disconnects") { $0.number(Int64(v.clientDisconnects)) }
                    }
                }
            }
        }
    }
}
