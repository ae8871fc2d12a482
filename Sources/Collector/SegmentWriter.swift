import Foundation
import Warehouse
import WebSocket
#if canImport(Glibc)
import Glibc
#endif

/// Appends one venue's lines to stream segments under `raw/DAY/<venue>/ws_ticker/`
/// (docs/stream_segments.md). An open segment is the hidden `.<worker>-<HHMMSS>.jsonl.part`;
/// lines reach the file at least every `flushSeconds` (so a kill -9 loses at most that much);
/// a segment is rolled after `rollSeconds`, at `rollBytes`, and at UTC midnight, and closed by
/// fsync, an atomic rename to `<worker>-<HHMMSS>.jsonl` and then its `.meta.json`, the mark
/// readers wait for. One writer per venue and thread.
final class SegmentWriter {
    struct Policy: Sendable {
        var flushSeconds: Double = 1
        var rollSeconds: Double = 60
        var rollBytes: Int = 64 << 20
        var bufferBytes: Int = 256 << 10
    }

    let store: RawStore
    let dataset: RawDataset
    let worker: String
    let policy: Policy
    /// Where the lines came from (redacted URL), for the metadata.
    let sourceURL: String

    private var open: OpenSegment?
    private var buffer: [UInt8] = []
    private var lastFlush = WebSocketConnection.monotonicSeconds()
    /// Segments closed so far, for the run's report.
    private(set) var closedSegments = 0

    private struct OpenSegment {
        let day: Day
        let name: String
        let partURL: URL
        let descriptor: Int32
        let opened: Double
        var digest = Fingerprint()
        var bytes = 0
        var lines = 0, messages = 0, events = 0
        var firstReceived: Int64?, lastReceived: Int64?
    }

    init(store: RawStore, venue: String, worker: String, sourceURL: String, policy: Policy = Policy()) {
        self.store = store
        self.dataset = RawDataset(source: venue, dataset: StreamSegment.tickerDataset)
        self.worker = worker
        self.sourceURL = sourceURL
        self.policy = policy
    }

    /// Appends a message as received; `poll` marks a REST poll's body with its request.
    func message(_ bytes: [UInt8], received: Reception, connection: Int64, poll: String? = nil) throws {
        try prepare(received)
        StreamSegment.appendMessage(bytes, receivedMillis: received.wallMillis, monotonicNanos: received.monotonicNanos, connection: connection, poll: poll, to: &buffer)
        count(received, isMessage: true)
        try flushIfDue()
    }

    /// Appends a connection event.
    func event(_ name: String, code: Int64? = nil, reason: String? = nil, detail: String? = nil, sentMillis: Int64? = nil, roundTripMicros: Int64? = nil,
               at received: Reception = .now(), connection: Int64) throws {
        try prepare(received)
        StreamSegment.appendEvent(name, code: code, reason: reason, detail: detail, sentMillis: sentMillis, roundTripMicros: roundTripMicros, receivedMillis: received.wallMillis,
                                  monotonicNanos: received.monotonicNanos, connection: connection, to: &buffer)
        count(received, isMessage: false)
        try flushIfDue()
    }

    /// Flushes when a second has passed, and rolls when the segment is old enough: call it
    /// while idle too, so a quiet venue's lines still reach the disk.
    func tick() throws {
        try flushIfDue()
        if let segment = open, WebSocketConnection.monotonicSeconds() - segment.opened >= policy.rollSeconds { try close() }
    }

    /// Writes what is buffered, closes the open segment and describes it.
    func close() throws {
        try flush()
        guard let segment = open else { return }
        open = nil
        fsync(segment.descriptor)
        Glibc.close(segment.descriptor)
        var digest = segment.digest
        try Self.seal(partURL: segment.partURL, name: segment.name, folder: segment.partURL.deletingLastPathComponent(),
                      sha256: digest.finish(), bytes: segment.bytes, lines: segment.lines, messages: segment.messages, events: segment.events,
                      first: segment.firstReceived, last: segment.lastReceived, url: sourceURL, worker: worker)
        closedSegments += 1
    }

    private func count(_ received: Reception, isMessage: Bool) {
        open!.lines += 1
        if isMessage { open!.messages += 1 } else { open!.events += 1 }
        if open!.firstReceived == nil { open!.firstReceived = received.wallMillis }
        open!.lastReceived = received.wallMillis
    }

    /// Opens a segment when none is, and rolls one that is full or from another UTC day.
    private func prepare(_ received: Reception) throws {
        let day = Day(unixSeconds: received.wallMillis / 1000)
        if let segment = open, segment.day != day || segment.bytes + buffer.count >= policy.rollBytes { try close() }
        guard open == nil else { return }
        let folder = store.layout.rawFolder(day: day, dataset: dataset)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let seconds = received.wallMillis / 1000 % 86_400
        let stamp = String(format: "%02lld%02lld%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60)
        var name = "\(worker)-\(stamp)"
        var suffix = 2
        while Self.taken(name, in: folder) { name = "\(worker)-\(stamp)-\(suffix)"; suffix += 1 }
        let partURL = folder.appendingPathComponent(".\(name).jsonl.part")
        let descriptor = Glibc.open(partURL.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw CollectorError.cannotWrite(path: partURL.path, reason: String(cString: strerror(errno))) }
        open = OpenSegment(day: day, name: name, partURL: partURL, descriptor: descriptor, opened: WebSocketConnection.monotonicSeconds())
    }

    private static func taken(_ name: String, in folder: URL) -> Bool {
        let fm = FileManager.default
        return [".\(name).jsonl.part", "\(name).jsonl", "\(name).jsonl.gz", "\(name).meta.json"].contains {
            fm.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
    }

    private func flushIfDue() throws {
        if buffer.count >= policy.bufferBytes || WebSocketConnection.monotonicSeconds() - lastFlush >= policy.flushSeconds { try flush() }
    }

    private func flush() throws {
        lastFlush = WebSocketConnection.monotonicSeconds()
        guard !buffer.isEmpty, var segment = open else { return }
        try buffer.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let n = Glibc.write(segment.descriptor, raw.baseAddress! + written, raw.count - written)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw CollectorError.cannotWrite(path: segment.partURL.path, reason: String(cString: strerror(errno))) }
                written += n
            }
            segment.digest.add(bytes: raw)
        }
        segment.bytes += buffer.count
        open = segment
        buffer.removeAll(keepingCapacity: true)
    }

    /// Renames a finished `.part` into place and writes its metadata, the segment's closing mark.
    static func seal(partURL: URL, name: String, folder: URL, sha256: String, bytes: Int, lines: Int, messages: Int, events: Int,
                     first: Int64?, last: Int64?, url: String, worker: String) throws {
        let finalURL = folder.appendingPathComponent("\(name).jsonl")
        if partURL != finalURL {
            guard rename(partURL.path, finalURL.path) == 0 else {
                throw CollectorError.cannotWrite(path: finalURL.path, reason: String(cString: strerror(errno)))
            }
        }
        let iso = { (ms: Int64?) in ms.map { ISO8601.format(Date(timeIntervalSince1970: Double($0) / 1000)) } ?? "" }
        var params = ["format": StreamSegment.format, "worker": worker, "lines": String(lines), "messages": String(messages),
                      "events": String(events), "closed_at": ISO8601.format(Date())]
        if let first { params["first_received_ms"] = String(first) }
        if let last { params["last_received_ms"] = String(last) }
        let meta = SnapshotMeta(url: url, status: 101, fetchedAt: iso(first), sha256: sha256, bytes: bytes, params: params)
        try AtomicFile.write(meta.encoded(), to: folder.appendingPathComponent("\(name).meta.json"))
    }
}

/// When a line was received: wall clock for the record, monotonic clock for inter-arrival.
struct Reception: Sendable {
    let wallMillis: Int64
    let monotonicNanos: Int64

    static func now() -> Reception {
        var wall = timespec(), mono = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        clock_gettime(CLOCK_MONOTONIC, &mono)
        return Reception(wallMillis: Int64(wall.tv_sec) * 1000 + Int64(wall.tv_nsec) / 1_000_000,
                         monotonicNanos: Int64(mono.tv_sec) * 1_000_000_000 + Int64(mono.tv_nsec))
    }
}
