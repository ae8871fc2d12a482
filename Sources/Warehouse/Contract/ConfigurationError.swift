/// A setting (flag, environment variable, file) that cannot be used, with the fix.
/// The CLI exits 2 on it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let setting: String
    public let problem: String
    public let fix: String

    public init(setting: String, problem: String, fix: String) {
        self.setting = setting
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "\(setting): \(problem). To fix this, \(fix)." }
}
