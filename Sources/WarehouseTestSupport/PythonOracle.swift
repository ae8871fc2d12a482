import Foundation

/// A Python script under `Tests/Oracle`, run as an independent implementation to check ours
/// against (pyarrow, pandas, DuckDB, scipy are installed by scripts/test.sh).
public struct PythonOracle {
    public let script: String

    public init(_ script: String) { self.script = script }

    /// Runs the script with `arguments`, feeding `input` on standard input.
    public func run(_ arguments: [String] = [], input: Data? = nil) throws -> Shell.Output {
        let path = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("Oracle/\(script)").path
        return try Shell.run("python3", [path] + arguments, input: input)
    }
}
