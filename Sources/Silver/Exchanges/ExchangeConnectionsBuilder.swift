import Foundation
import Warehouse

/// `silver.exchange_connections`: every connection event the collector recorded in the stream
/// segments (connected, subscribed, subscribe_failed, closed with its code and reason,
/// reconnect_attempt, message_gap, poll_failed, clock_probe, stopped), so disconnects are
/// counted from facts and latency is estimated from measured round trips.
/// Built incrementally like `silver.exchange_ticks`; a line that does not parse is in `_rejects`
/// for both tables, since either may be built alone.
enum ExchangeConnectionsBuilder {
    static let layout = TableLayout("exchange_connections", [
        .init("exchange", .text, notNull: true, "binance, kraken or coinbase"),
        .init("worker", .text, notNull: true, "the collector's worker name (the segment file's prefix)"),
        .init("connection", .integer, "the collector's connection number, from 1 per run"),
        .init("event", .text, notNull: true, StreamSegment.events.joined(separator: ", ")),
        .init("code", .integer, "the WebSocket close code where the venue sent one; the HTTP status of a poll or clock probe"),
        .init("reason", .text, "the close or failure reason as given"),
        .init("detail", .text, "for closed: by_venue, lost, stalled, stopping or subscription_failed; else what the event carries"),
        .init("received_ts", .integer, notNull: true, "when it happened, Unix milliseconds"),
        .init("monotonic_ns", .integer, "the collector's monotonic clock then, nanoseconds"),
        .init("sent_ts", .integer, "clock_probe: when the request to the venue's server-time endpoint left, Unix milliseconds"),
        .init("round_trip_ms", .real, "clock_probe: its round trip, from the request's last byte sent to the answer's first byte, milliseconds"),
        .init("server_ts", .integer, "clock_probe: the venue's clock in the answer, Unix milliseconds (Kraken's to the whole second)"),
        .init("raw_line", .integer, notNull: true, "the line of the segment, from 1"),
        .rawFile,
    ], primaryKey: ["exchange", "received_ts", "raw_file_id", "raw_line"], withoutRowID: true)

    static func builder(_ context: BuildContext, venues: [String]) throws -> AppendOnlyBuilder {
        let store = context.raw
        let segments = SnapshotSource.oldestFirst(try venues.flatMap { try store.segments(of: RawDataset(source: $0, dataset: StreamSegment.tickerDataset)) }, store: store)
        return AppendOnlyBuilder(context: context, layout: layout, sources: segments) { source, body in
            let exchange = source.snapshot.dataset.source
            let worker = String(source.snapshot.key.split(separator: "-").first ?? "")
            var parsed = ParsedRows()
            StreamSegment.forEachLine(in: body) { bytes, number in
                do {
                    let line = try StreamSegment.parse(bytes, messages: false)
                    guard case .event(let name, let code, let reason, let detail) = line.content else { return }
                    let server = name == "clock_probe" ? detail.flatMap { ServerTime.millis(venue: exchange, body: $0) } : nil
                    if name == "clock_probe", server == nil || line.sentMillis == nil || line.roundTripMicros == nil {
                        parsed.reject("line \(number)", "a clock_probe needs sent_ms, rtt_us and a \(exchange) server-time answer in detail")
                        return
                    }
                    parsed.add(line: number, [.text(exchange), .text(worker), line.connection.map(SQLValue.integer) ?? .null, .text(name),
                                                  code.map(SQLValue.integer) ?? .null, reason.sqlValue, detail.sqlValue, .integer(line.receivedMillis),
                                                  line.monotonicNanos.map(SQLValue.integer) ?? .null, line.sentMillis.map(SQLValue.integer) ?? .null,
                                                  line.roundTripMicros.map { .real(Double($0) / 1000) } ?? .null, server.map(SQLValue.integer) ?? .null,
                                                  .integer(Int64(number))])
                } catch {
                    parsed.reject("line \(number)", "\(error)")
                }
            }
            return parsed
        }
    }
}
