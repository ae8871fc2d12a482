import ArgumentParser
import Foundation
import Pipeline
import Gold
import Warehouse

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Freeze a feature distribution that later runs are compared with for drift (gold.feature_drift).",
        subcommands: [Create.self, Show.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Freeze the asset's features over its newest trading days as the baseline, replacing the previous one.",
            discussion: """
                Each later materialization of gold.feature_drift compares the same number of newest trading days with it \
                (two-sample Kolmogorov-Smirnov) and warns when a feature's p-value falls below drift.alpha.

                Example: warehouse baseline create gold.stock_features --window-days 120 --as-of 2025-06-30
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The asset whose features to freeze, e.g. gold.stock_features.")
        var asset: String

        @Option(help: ArgumentHelp("Trading days in the window (default: drift.window_days, 60).", valueName: "N"))
        var windowDays: Int?

        @Option(help: ArgumentHelp("Freeze the window that ends on this day instead of the newest one.", valueName: "YYYY-MM-DD"))
        var asOf: String?

        @Flag(help: "Print JSON on stdout.")
        var json = false

        func validate() throws {
            if let windowDays, windowDays < 5 { throw ValidationError("--window-days must be at least 5 (a KS test needs a sample).") }
        }

        func run() throws {
            let app = try global.pipeline()
            let monitor = try BaselineCommand.monitor(named: asset)
            let endingOn = try asOf.map { try DayArgument.parse($0, flag: "--as-of") }
            let lock = try RootLock(layout: app.layout, wait: true)
            let baseline = try FeatureBaseline.create(monitor, layout: app.layout, windowDays: windowDays ?? app.settings.driftWindowDays,
                                                      endingOn: endingOn, at: app.clock.now)
            withExtendedLifetime(lock) {}
            if json {
                print(Format.json(BaselineCommand.fields(baseline)))
            } else {
                print("Froze \(baseline.asset): \(Format.count(baseline.rows)) rows over \(baseline.windowDays) trading days "
                      + "\(baseline.windowStart)..\(baseline.windowEnd) (baseline \(baseline.id)).")
                print("Next: warehouse materialize \(GoldAssets.featureDrift) compares the newest \(baseline.windowDays) trading days with it.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the baselines of the root.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print JSON on stdout.")
        var json = false

        func run() throws {
            let app = try global.pipeline()
            let baselines = try FeatureBaseline.list(layout: app.layout)
            if json {
                print(Format.json(baselines.map(BaselineCommand.fields)))
            } else if baselines.isEmpty {
                print("No baselines yet. Create one with `warehouse baseline create \(GoldAssets.stockFeatures)`.")
            } else {
                for baseline in baselines {
                    print("\(baseline.asset)  \(baseline.id)  created \(baseline.createdAt)  \(baseline.windowDays) trading days "
                          + "\(baseline.windowStart)..\(baseline.windowEnd)  \(Format.count(baseline.rows)) rows")
                }
            }
        }
    }

    /// The monitor of the named asset.
    /// - Throws: `UsageError` for a name that is not an asset, `GoldError.notMonitored` for one without features.
    static func monitor(named name: String) throws -> FeatureMonitor {
        guard let key = AssetKey(parsing: name) else {
            throw UsageError(problem: "'\(name)' is not an asset name", fix: "write it as `warehouse assets` lists it, e.g. \(GoldAssets.stockFeatures)")
        }
        guard let monitor = GoldAssets.monitors.first(where: { $0.asset == key }) else {
            throw GoldError.notMonitored(key, monitored: GoldAssets.monitors.map(\.asset))
        }
        return monitor
    }

    static func fields(_ baseline: FeatureBaseline) -> [String: Any] {
        ["asset": baseline.asset.description, "baseline_id": baseline.id, "created_at": baseline.createdAt, "window_days": baseline.windowDays,
         "window_start": baseline.windowStart, "window_end": baseline.windowEnd, "rows": baseline.rows]
    }
}
