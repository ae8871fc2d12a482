import Foundation
import Warehouse
#if canImport(Glibc)
import Glibc
#endif

/// Closes what a killed collector left open: its `.part` segments (cut back to the last
/// whole line, the only loss a kill -9 can cause) and renamed segments whose metadata was not
/// yet written. Run while holding the worker's lock, so no live writer owns them.
enum SegmentRecovery {
    /// Seals every orphan of `worker` in `dataset`, returning the paths recovered.
    static func recover(store: RawStore, dataset: RawDataset, worker: String) throws -> [String] {
        var recovered: [String] = []
        let fm = FileManager.default
        for day in try store.days() {
            let folder = store.layout.rawFolder(day: day, dataset: dataset)
            guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
            let present = Set(names)
            for file in names.sorted() {
                let name: String
                if file.hasPrefix(".\(worker)-"), file.hasSuffix(".jsonl.part") {
                    name = String(file.dropFirst().dropLast(".jsonl.part".count))
                } else if file.hasPrefix("\(worker)-"), file.hasSuffix(".jsonl"), !present.contains("\(file.dropLast(6)).meta.json") {
                    name = String(file.dropLast(6))
                } else {
                    continue
                }
                let url = folder.appendingPathComponent(file)
                try seal(url, name: name, folder: folder, worker: worker)
                recovered.append("raw/\(day)/\(dataset.source)/\(dataset.dataset)/\(name).jsonl")
            }
        }
        return recovered
    }

    private static func seal(_ url: URL, name: String, folder: URL, worker: String) throws {
        var data = (try? Data(contentsOf: url)) ?? Data()
        if let lastNewline = data.lastIndex(of: 0x0A) {
            let whole = data.index(after: lastNewline)
            if whole < data.endIndex {
                data = data.prefix(upTo: whole)
                guard truncate(url.path, off_t(data.count)) == 0 else {
                    throw CollectorError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
                }
            }
        } else if !data.isEmpty {
            data = Data()
            _ = truncate(url.path, 0)
        }
        var lines = 0, messages = 0, events = 0
        var first: Int64?, last: Int64?
        StreamSegment.forEachLine(in: data) { line, _ in
            guard let parsed = try? StreamSegment.parse(line) else { return }
            lines += 1
            if case .message = parsed.content { messages += 1 } else { events += 1 }
            if first == nil { first = parsed.receivedMillis }
            last = parsed.receivedMillis
        }
        try SegmentWriter.seal(partURL: url, name: name, folder: folder, sha256: Fingerprint.sha256(data), bytes: data.count,
                               lines: lines, messages: messages, events: events, first: first, last: last,
                               url: "recovered after the collector stopped without closing it", worker: worker)
    }
}
