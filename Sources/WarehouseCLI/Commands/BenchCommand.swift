import ArgumentParser
import Bronze
import Foundation
import Pipeline
import Gold
import Logging
import Silver
import Warehouse

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark silver.coin_prices+ on a generated raw set: points per second, peak memory, disk per point and the cost of one more day (`bench bucket`: the shared raw cache).",
        discussion: """
            For each size, a fresh process generates COINS coins x (POINTS / COINS) hourly points as market_chart/range files in a temporary root, then materializes silver.coin_prices and gold.coin_daily_features (silver s and gold s: each build; run s: the whole run with checks and checkpoint, which end_to_end_points_per_second divides by), times `warehouse materialize ... --refresh` on the same root as a user would run it (CLI s: from process start to exit), SQLite's own copy of the silver table (the floor under any builder of it) and silver's parser alone on one thread (parse MB/s: what the build would reach if storing cost nothing); then it adds one more day (24 hourly points per coin) and times the incremental run on top. Peak memory is the process's maximum resident set, so sizes are measured in separate processes. Build with -c release for meaningful figures.
            """,
        subcommands: [BenchBucketCommand.self])

    @Option(help: "Comma-separated total price points per run.")
    var points = "2000000,10000000"

    @Option(help: "Coins the points are spread over.")
    var coins = 500

    @Option(help: ArgumentHelp("Where to create the temporary roots.", valueName: "DIR"))
    var scratch = FileManager.default.temporaryDirectory.path

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Flag(help: "Keep each generated root (its path is in the JSON as \"root\"), e.g. to benchmark exports from it.")
    var keep = false

    @Option(help: .hidden)
    var single: Int?

    /// The sizes `--points` lists.
    private var sizes: [Int] { points.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard coins >= 1 else { throw ValidationError("--coins must be at least 1, e.g. --coins 58") }
        guard !sizes.isEmpty, sizes.count == points.split(separator: ",").count, sizes.allSatisfy({ $0 >= coins }) else {
            throw ValidationError("--points must list whole numbers of at least --coins (\(coins)), e.g. 2000000,10000000")
        }
        // Hourly points back from the benchmark's clock: a history longer than that reaches before
        // 1970, where every point is rightly rejected, and the benchmark would measure rejects.
        if let deepest = sizes.max(), deepest / coins > SyntheticRawSet.maximumPointsPerCoin {
            let enough = (deepest + SyntheticRawSet.maximumPointsPerCoin - 1) / SyntheticRawSet.maximumPointsPerCoin
            throw ValidationError("--points \(deepest) over --coins \(coins) is \(deepest / coins) hourly points per coin, which reaches back before 1970: use --coins \(enough) or more")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: scratch, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--scratch \(scratch) is not an existing folder: create it, or name one that exists (the benchmark makes its roots inside it)")
        }
    }

    func run() throws {
        if let single {
            print(Format.json(try measure(points: single)))
            return
        }
        var results: [[String: Any]] = []
        for size in sizes {
            let process = Process()
            process.executableURL = Self.executable
            process.arguments = ["bench", "--single", "\(size)", "--points", "\(size)", "--coins", "\(coins)", "--scratch", scratch] + (keep ? ["--keep"] : [])
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let result = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw RunFailed(message: "benchmark of \(size) points failed (exit \(process.terminationStatus))")
            }
            results.append(result)
        }
        if json { print(Format.json(results)); return }
        print("silver.coin_prices+ on generated market_chart files (\(coins) coins)")
        print(Format.padded("points", 13) + Format.padded("raw MB", 9) + Format.padded("silver s", 10) + Format.padded("points/s", 12)
              + Format.padded("MB/s", 7) + Format.padded("parse MB/s", 12) + Format.padded("gold s", 8) + Format.padded("run s", 7) + Format.padded("CLI s", 7) + Format.padded("daily rows", 12) + Format.padded("DB B/pt", 9)
              + Format.padded("next day s", 12) + "peak RSS MB")
        for r in results {
            print(Format.padded(Format.count(r["points"] as! Int), 13)
                  + Format.padded(String(format: "%.0f", Double(r["raw_bytes"] as! Int) / 1e6), 9)
                  + Format.padded(String(format: "%.2f", r["silver_seconds"] as! Double), 10)
                  + Format.padded(Format.count(Int(r["points_per_second"] as! Double)), 12)
                  + Format.padded(String(format: "%.0f", r["raw_mb_per_second"] as! Double), 7)
                  + Format.padded(String(format: "%.0f", r["parse_mb_per_second"] as! Double), 12)
                  + Format.padded(String(format: "%.2f", r["gold_seconds"] as! Double), 8)
                  + Format.padded(String(format: "%.2f", r["run_seconds"] as! Double), 7)
                  + Format.padded(String(format: "%.2f", r["cli_seconds"] as! Double), 7)
                  + Format.padded(Format.count(r["daily_rows"] as! Int), 12)
                  + Format.padded(String(format: "%.1f", r["database_bytes_per_point"] as! Double), 9)
                  + Format.padded(String(format: "%.2f", r["next_day_seconds"] as! Double), 12)
                  + String(format: "%.0f", r["peak_rss_mb"] as! Double))
        }
    }

    private func measure(points: Int) throws -> [String: Any] {
        // A folder of its own, never one that was there before: only what the benchmark made is removed.
        let root = URL(fileURLWithPath: scratch).appendingPathComponent("warehouse-bench-\(points)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: false)
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        let layout = WarehouseLayout(root: root)
        try layout.prepare()
        let clock = WarehouseClock(fixed: ISO8601.parse("2026-11-23T12:00:00Z")!)
        let rawBytes = try SyntheticRawSet(coins: coins, pointsPerCoin: max(1, points / coins)).write(to: layout, day: clock.today)
        let started = Date()
        let first = try materialize(layout, clock: clock)
        let runSeconds = Date().timeIntervalSince(started)
        let silver = first.results[0], gold = first.results[1]
        let rows = silver.outcome?.rows ?? 0
        let disk = Self.bytes(of: [layout.silverDatabase, layout.goldDatabase])
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peak = Double(usage.ru_maxrss) / 1024
        let (cliSeconds, cliPeak) = try timeCommandLineRebuild(root)
        let floorSeconds = try timeSQLiteCopy(of: SilverAssets.coinPrices.name, in: layout.silverDatabase)
        let parseStarted = Date()
        let parsed = try MarketChartParser.parseAll(in: layout)
        let parseSeconds = Date().timeIntervalSince(parseStarted)
        // One more day on top: the last 24 hours of every coin, as a daily run fetches them.
        let tomorrow = WarehouseClock(fixed: clock.now.addingTimeInterval(86_400))
        let dayBytes = try SyntheticRawSet(coins: coins, pointsPerCoin: 24).write(to: layout, day: tomorrow.today)
        let nextStarted = Date()
        let next = try materialize(layout, clock: tomorrow)
        let nextSeconds = Date().timeIntervalSince(nextStarted)
        return ["points": rows, "raw_bytes": rawBytes, "silver_seconds": silver.seconds,
                "points_per_second": Double(rows) / silver.seconds, "raw_mb_per_second": Double(rawBytes) / 1e6 / silver.seconds,
                "gold_seconds": gold.seconds, "daily_rows": gold.outcome?.rows ?? 0, "peak_rss_mb": peak,
                "run_seconds": runSeconds, "end_to_end_points_per_second": Double(rows) / runSeconds,
                "cli_seconds": cliSeconds, "cli_points_per_second": Double(rows) / cliSeconds, "cli_peak_rss_mb": cliPeak,
                "sqlite_copy_seconds": floorSeconds, "sqlite_copy_points_per_second": Double(rows) / floorSeconds,
                "parse_seconds": parseSeconds, "parse_points": parsed.points, "parse_points_per_second": Double(parsed.points) / parseSeconds,
                "parse_mb_per_second": Double(parsed.bytes) / 1e6 / parseSeconds,
                "database_bytes": disk, "database_bytes_per_point": Double(disk) / Double(max(rows, 1)),
                "raw_bytes_per_point": Double(rawBytes) / Double(max(rows, 1)),
                "next_day_points": next.results[0].outcome.map { $0.rowsWritten ?? $0.rows } ?? 0, "next_day_raw_bytes": dayBytes, "next_day_seconds": nextSeconds,
                "root": root.path]
    }

    /// This program, to run it again in a process of its own.
    private static var executable: URL { URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath() }

    /// Seconds a user waits for `warehouse materialize silver.coin_prices gold.coin_daily_features
    /// --refresh` on `root`, from process start to exit (planning, builds, checks, checkpoint),
    /// and that process's peak resident memory in MB (it is the only child waited for so far).
    private func timeCommandLineRebuild(_ root: URL) throws -> (seconds: Double, peakMB: Double) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["materialize", SilverAssets.coinPrices.description, GoldAssets.coinDailyFeatures.description, "--refresh", "--root", root.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = Date()
        try process.run()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        guard process.terminationStatus == 0 else { throw RunFailed(message: "warehouse materialize --refresh on \(root.path) failed (exit \(process.terminationStatus))") }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (seconds, Double(usage.ru_maxrss) / 1024)
    }

    /// Seconds SQLite alone takes to insert the rows of `table` into an empty table of the same
    /// layout (`INSERT ... SELECT`, rolled back): the floor under any builder of that table, with
    /// no parsing and no binding.
    private func timeSQLiteCopy(of table: String, in file: URL) throws -> Double {
        let database = try Database(path: file.path)
        guard let ddl = try database.scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)])?.string,
              let name = ddl.range(of: table) else { throw RunFailed(message: "\(file.path) has no table \(table)") }
        try database.execute("BEGIN")
        defer { try? database.execute("ROLLBACK") }
        try database.execute(ddl.replacingCharacters(in: name, with: "bench_copy"))
        let started = Date()
        // WHERE keeps SQLite from copying pages whole (its transfer optimisation): every row is inserted.
        try database.execute("INSERT INTO bench_copy SELECT * FROM \(table) WHERE 1")
        return Date().timeIntervalSince(started)
    }

    /// Materializes silver.coin_prices and gold.coin_daily_features at `clock`'s time; no bronze
    /// asset is selected, so no source is ever fetched from.
    private func materialize(_ layout: WarehouseLayout, clock: WarehouseClock) throws -> RunSummary {
        let graph = try AssetGraph(try Pipeline.specs(settings: WarehouseSettings()))
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let orchestrator = Orchestrator(graph: graph, layout: layout, clock: clock, logger: logger)
        let summary = try orchestrator.materialize([SilverAssets.coinPrices, GoldAssets.coinDailyFeatures], command: "bench", observer: SilentObserver())
        guard summary.succeeded else { throw RunFailed(message: summary.results.compactMap(\.error).joined(separator: "; ")) }
        return summary
    }

    /// Bytes on disk of databases with their WAL files.
    private static func bytes(of databases: [URL]) -> Int {
        databases.flatMap { [$0.path, $0.path + "-wal"] }.reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }
}
