import Foundation

/// Runs a program found on `PATH` to completion, feeding it standard input and capturing both
/// output streams: the Python oracles, the sqlite3 shell as a BI user runs it.
public enum Shell {
    public struct Output {
        public let status: Int32
        public let stdoutData: Data
        public let stderr: String
        public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
        /// Standard output followed by standard error, for messages.
        public var text: String { stdout + stderr }
    }

    /// - Parameters:
    ///   - program: looked up on `PATH`, e.g. `python3` or `sqlite3`.
    ///   - input: written to standard input, which is then closed; nil gives the null device.
    ///   - directory: the working directory, for programs that leave caches where they run.
    public static func run(_ program: String, _ arguments: [String] = [], input: String? = nil, in directory: URL? = nil) throws -> Output {
        try run(program, arguments, input: input.map { Data($0.utf8) }, in: directory)
    }

    public static func run(_ program: String, _ arguments: [String] = [], input: Data?, in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.currentDirectoryURL = directory
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe(), feed = Pipe()
        // Standard error goes to a file, so neither stream can fill up while the other is read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("shell-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil) // FileHandle(forWritingTo:) needs it to exist
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        process.standardOutput = output
        process.standardError = errorHandle
        process.standardInput = input == nil ? FileHandle.nullDevice : feed
        try process.run()
        if let input {
            // Written from another thread: a large input must not block while the program's output fills its pipe.
            let writer = Thread {
                feed.fileHandleForWriting.write(input)
                try? feed.fileHandleForWriting.close()
            }
            writer.start()
        }
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let error = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return Output(status: process.terminationStatus, stdoutData: text, stderr: error)
    }
}
