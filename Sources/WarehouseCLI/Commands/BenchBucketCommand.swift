import ArgumentParser
import Bucket
import Foundation
import Pipeline
import Warehouse

/// `warehouse bench bucket`: the shared raw cache's throughput against the root's bucket.
struct BenchBucketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bucket",
        abstract: "Benchmark the shared raw cache of --root's [raw.remote]: uploads, a listing of the whole bucket, and a run's lookups and downloads.",
        discussion: """
            Uploads SNAPSHOTS synthetic snapshots (body and metadata, conditional writes) from CONCURRENCY threads, lists them all as a fresh run \
            does (pages of 1,000), then answers LOOKUPS requests by the freshness rules and downloads them into a fresh root. \
            Benchmarks/shared_cache.sh starts the loopback S3 and GCS servers and runs this against each. Build with -c release.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Snapshots to upload (the bucket's size for the listing).")
    var snapshots = 100_000

    @Option(help: "Bytes per snapshot body.")
    var bytes = 4096

    @Option(help: "Snapshots a run looks up and downloads after the listing.")
    var lookups = 1000

    @Option(help: "Upload and download threads.")
    var concurrency = 8

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func validate() throws {
        for (flag, value, least) in [("--snapshots", snapshots, 1), ("--bytes", bytes, 1), ("--lookups", lookups, 0), ("--concurrency", concurrency, 1)] where value < least {
            throw ValidationError("\(flag) must be at least \(least), got \(value)")
        }
    }

    func run() throws {
        let app = try global.pipeline()
        guard let remote = app.settings.rawRemote else {
            throw UsageError(problem: "the root has no [raw.remote]", fix: "run Benchmarks/shared_cache.sh, which configures one against loopback servers")
        }
        // A folder of its own, made here and never one that was there before: only it is removed.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bucket-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source = RawStore(layout: WarehouseLayout(root: scratch.appendingPathComponent("source")))
        let target = RawStore(layout: WarehouseLayout(root: scratch.appendingPathComponent("target")))
        let dataset = RawDataset(source: "bench", dataset: "bucket_\(UUID().uuidString.prefix(8).lowercased())")
        let day = app.clock.today
        let fetchedAt = ISO8601.format(app.clock.now, milliseconds: true)
        var local: [RawSnapshot] = []
        for index in 0..<snapshots {
            var body = Data(#"{"i":\#(index),"v":""#.utf8)
            body.append(Data(repeating: UInt8(ascii: "x"), count: max(0, bytes - body.count - 2)))
            body.append(Data(#""}"#.utf8))
            let meta = SnapshotMeta(url: "https://bench.invalid/\(index)", status: 200, fetchedAt: fetchedAt, sha256: Fingerprint.sha256(body), bytes: body.count, params: [:])
            local.append(try source.write(body: body, meta: meta, dataset: dataset, key: "k-\(index)", day: day))
        }
        let connect = { try BucketRawCache.connect(remote, environment: app.environment, retryBaseSeconds: app.settings.retryBaseSeconds) }
        let uploader = try connect()
        let upload = try Self.timed(local, workers: concurrency) { try uploader.upload($0, from: source) }

        let reader = try connect()
        let listStart = Date(), listCPU = Self.cpuSeconds()
        let keys = try reader.keys(of: dataset, on: day)
        let listSeconds = Date().timeIntervalSince(listStart), listClientCPU = Self.cpuSeconds() - listCPU
        guard keys.count == snapshots else { throw RunFailed(message: "the listing found \(keys.count) of \(snapshots) snapshots") }

        let wanted = Array(keys.shuffled().prefix(lookups))
        let lock = NSLock()
        var found: [String] = []
        let lookupSeconds = try Self.timed(wanted, workers: concurrency) { key in
            if (try reader.meta(of: dataset, key: key, on: day)) != nil { lock.lock(); found.append(key); lock.unlock() }
        }
        let download = try Self.timed(found, workers: concurrency) { _ = try reader.download(dataset, key: $0, on: day, into: target) }

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let megabytes = Double(bytes) / 1_048_576
        let result: [String: Any] = [
            "bucket": remote.url, "snapshots": snapshots, "bytes": bytes, "concurrency": concurrency,
            "upload_seconds": upload, "uploads_per_second": Double(snapshots) / upload, "upload_mb_per_second": Double(snapshots) * megabytes / upload,
            "list_seconds": listSeconds, "list_client_cpu_seconds": listClientCPU, "listed": keys.count,
            "lookups": found.count, "lookup_seconds": lookupSeconds, "download_seconds": download,
            "downloads_per_second": Double(found.count) / download, "download_mb_per_second": Double(found.count) * megabytes / download,
            "peak_rss_mb": Double(usage.ru_maxrss) / 1024,
        ]
        if json { print(Format.json(result)); return }
        print("""
            \(remote.url): \(Format.count(snapshots)) snapshots of \(Format.bytes(bytes)), \(concurrency) threads
              upload    \(String(format: "%8.0f", Double(snapshots) / upload)) snapshots/s  \(String(format: "%6.1f", Double(snapshots) * megabytes / upload)) MB/s (body + metadata, conditional)
              list      \(String(format: "%8.2f", listSeconds)) s for all \(Format.count(keys.count)) (a fresh run's first lookup; \(String(format: "%.2f", listClientCPU)) s of it this process's CPU)
              lookup    \(String(format: "%8.2f", lookupSeconds)) s for \(Format.count(found.count)) requests by the freshness rules (one metadata read each, \(concurrency) threads)
              download  \(String(format: "%8.0f", Double(found.count) / download)) snapshots/s  \(String(format: "%6.1f", Double(found.count) * megabytes / download)) MB/s (sha256 checked)
              peak RSS  \(String(format: "%8.0f", Double(usage.ru_maxrss) / 1024)) MB
            """)
    }

    /// CPU seconds (user and system) this process has used.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Seconds `body` takes over `items` on `workers` threads; the first error stops the count.
    static func timed<Item>(_ items: [Item], workers: Int, _ body: (Item) throws -> Void) throws -> Double {
        let lock = NSLock()
        var next = 0
        var failure: Error?
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, items.count))) { _ in
            while true {
                lock.lock()
                guard next < items.count, failure == nil else { lock.unlock(); return }
                let item = items[next]
                next += 1
                lock.unlock()
                do { try body(item) } catch { lock.lock(); failure = failure ?? error; lock.unlock() }
            }
        }
        if let failure { throw failure }
        return Date().timeIntervalSince(start)
    }
}
