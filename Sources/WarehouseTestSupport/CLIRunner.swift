import Foundation
import MarketEmulator
import Warehouse

/// Runs the built `warehouse` binary as a user would, with a controlled environment.
public struct CLIRunner {
    public struct Result {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        /// Standard output read as JSON (for `--json`).
        public func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }

        /// One asset's entry in a `materialize --json` run summary, nil when it is not there.
        public func asset(_ name: String) throws -> [String: Any]? {
            ((try json() as? [String: Any])?["assets"] as? [[String: Any]])?.first { $0["asset"] as? String == name }
        }
    }

    /// The `warehouse` executable next to the test bundle.
    public static let executable: URL = {
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("warehouse"),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("warehouse")]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("warehouse"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// The environment every CLI test starts from: a fixed clock and a small universe.
    public var environment: [String: String]

    public init(emulator: MarketEmulator? = nil, extra: [String: String] = [:]) {
        var environment = ["WAREHOUSE_NOW": TestClock.nowText, "WAREHOUSE_UNIVERSE_SIZE": "12",
                           "WAREHOUSE_HISTORY_DAYS": "100", "EMULATOR_COINS": "30", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let emulator {
            for variable in WarehouseSettings.baseURLVariables { environment[variable] = emulator.baseURL }
            environment["LUNARCRUSH_API_KEY"] = "test-lunarcrush-key"
        }
        self.environment = environment.merging(extra) { $1 }
    }

    /// Starts the binary without waiting (for kill and lock tests); output goes to the given handles.
    public func start(_ arguments: [String], stdout: Any? = nil, stderr: Any? = nil) throws -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the binary to completion, capturing its output through temporary files.
    @discardableResult
    public func run(_ arguments: [String]) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = try start(arguments, stdout: out, stderr: err)
        process.waitUntilExit()
        try out.close(); try err.close()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
