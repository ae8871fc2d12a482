import Foundation

/// A protocol server from PyPI run on loopback for the length of a test (moto's S3, the GCS
/// emulator, a token endpoint): a script under `Tests/Oracle` that prints its port first.
public final class LoopbackServer {
    public let port: Int
    private let process: Process

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `python3 Tests/Oracle/SCRIPT ARGS` and waits (up to 60 s) for the port it prints.
    public init(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws {
        let path = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("Oracle/\(script)").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)) else {
            process.terminate()
            throw ServerDidNotStart(script: script, output: String(decoding: line, as: UTF8.self))
        }
        self.port = port
    }

    /// Kills the server at once (SIGKILL), as a crashed store would vanish.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }

    public struct ServerDidNotStart: Error, CustomStringConvertible {
        public let script: String
        public let output: String
        public var description: String { "\(script) did not print its port (got '\(output)'); is its PyPI package installed (scripts/test.sh installs it)?" }
    }
}
