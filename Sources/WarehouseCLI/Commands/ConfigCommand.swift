import ArgumentParser
import Bronze
import Foundation
import Pipeline
import Warehouse

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the effective configuration.",
        subcommands: [ConfigShowCommand.self])
}

struct ConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the effective settings (defaults, ROOT/warehouse.toml, environment and .env), secrets masked.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON on stdout.")
    var json = false

    /// Environment variables that hold secrets: shown only as set or not.
    static let secrets = ["COINGECKO_PRO_API_KEY", "LUNARCRUSH_API_KEY", Pipeline.postgresPasswordVariable]

    func run() throws {
        let app = try global.pipeline()
        var entries: [(String, String)] = [("root", app.layout.root.path),
                                           ("settings_file", FileManager.default.fileExists(atPath: app.layout.root.appendingPathComponent("warehouse.toml").path)
                                                ? app.layout.root.appendingPathComponent("warehouse.toml").path : "(none: defaults)")]
        entries += app.settings.rendered
        // The real endpoints as configured (no emulator is started to print this).
        for (source, variable) in zip(WarehouseSettings.sources, WarehouseSettings.baseURLVariables) {
            guard !app.servedByEmulator(variable) else { entries.append(("sources.\(source)", "(built-in emulator)")); continue }
            let endpoint = try BronzeAssets.endpoint(for: source, environment: app.environment, settings: app.settings)
            entries.append(("sources.\(source)", "\(endpoint.baseURL) (requests go to \(endpoint.url(for: endpoint.samplePath)))"))
        }
        for secret in Self.secrets {
            let value = app.environment[secret].flatMap { $0.isEmpty ? nil : $0 }
            entries.append(("secrets.\(secret)", value.map { Self.mask($0) } ?? "(not set)"))
        }
        if json {
            print(Format.json(Dictionary(entries, uniquingKeysWith: { $1 })))
        } else {
            let width = (entries.map { $0.0.count }.max() ?? 10) + 2
            for (key, value) in entries { print(Format.padded(key, width) + value) }
        }
    }

    /// `****` plus the last two characters for long keys, so a user can tell keys apart.
    static func mask(_ secret: String) -> String { secret.count > 12 ? "****" + secret.suffix(2) : "****" }
}
