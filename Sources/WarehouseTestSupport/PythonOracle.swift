import Foundation

/// A Python script under `Tests/Oracle`, run as an independent implementation to check ours
/// against (pyarrow, pandas, DuckDB, scipy are installed by scripts/test.sh).
public struct PythonOracle {
    public let script: String

    public init(_ script: String) { self.script = script }

    public struct Output {
        public let status: Int32
        public let stdout: Data
        public let stderr: String
        /// Standard output followed by standard error, for messages.
        public var text: String { String(decoding: stdout, as: UTF8.self) + stderr }
    }

    /// Runs the script with `arguments`, feeding `input` on standard input.
    public func run(_ arguments: [String] = [], input: Data? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.directory.deletingLastPathComponent().appendingPathComponent("Oracle/\(script)").path] + arguments
        let output = Pipe(), feed = Pipe()
        // Standard error goes to a file, so neither stream can fill up while the other is read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil) // FileHandle(forWritingTo:) needs it to exist
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = input == nil ? FileHandle.nullDevice : feed
        try process.run()
        if let input {
            feed.fileHandleForWriting.write(input)
            try feed.fileHandleForWriting.close()
        }
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let error = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return Output(status: process.terminationStatus, stdout: text, stderr: error)
    }
}
